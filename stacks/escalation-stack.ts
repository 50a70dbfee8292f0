import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { VigilConfig } from '../functions/commons/config/schema';
import { EscalationEngine } from './constructs/escalation-engine';
import { CalendarFeed } from './constructs/oncall/calendar-feed';
import { OnCallTable } from './constructs/oncall/oncall-table';
import { ShiftNotifier } from './constructs/oncall/shift-notifier';

/** Props for {@link EscalationStack}. */
export interface EscalationStackProps extends StackProps {
  readonly config: VigilConfig;
  /** Console link put in notifications. @default none */
  readonly dashboardUrl?: string;
  /** Regions of the check locations, whose alarms are forwarded here. @default this stack's region */
  readonly alarmRegions?: readonly string[];
}

/**
 * The escalation engine in the primary region: alarm events (its own region's, and those forwarded from
 * the other check locations) start one Step Functions execution per incident.
 */
export class EscalationStack extends Stack {
  public readonly engine: EscalationEngine;

  public constructor(scope: Construct, id: string, props: EscalationStackProps) {
    super(scope, id, props);
    // On-call: run-time schedule overrides and their audit trail (only when the config has schedules), and
    // the calendar feeds' Function URL (only when it has calendar subscribers). The engine reads overrides
    // when a level targeting a schedule is due.
    const calendars = Object.keys(props.config.calendars).length > 0;
    const oncall =
      Object.keys(props.config.schedules).length > 0 || calendars
        ? new OnCallTable(this, 'OnCall')
        : undefined;
    if (calendars && oncall !== undefined)
      new CalendarFeed(this, 'OnCallCalendars', { config: props.config, table: oncall.table });
    // Shift notices at each handoff, and a warning alarm per schedule with an empty slot in the next 7 days.
    if (oncall !== undefined && Object.keys(props.config.schedules).length > 0)
      new ShiftNotifier(this, 'ShiftNotices', {
        config: props.config,
        table: oncall.table,
        metricsNamespace: props.config.metricsNamespace,
      });
    this.engine = new EscalationEngine(this, 'Escalation', {
      config: props.config,
      ...(oncall !== undefined ? { oncallTable: oncall.table } : {}),
      ...(props.dashboardUrl !== undefined ? { dashboardUrl: props.dashboardUrl } : {}),
      ...(props.alarmRegions !== undefined ? { alarmRegions: props.alarmRegions } : {}),
    });
  }
}
