import { randomUUID } from 'node:crypto';
import type { OnCallConfig } from '../../commons/config/oncall-schema';
import type { OverrideAuditRecord, ScheduleOverride } from '../types/override';
import type { OverrideStore } from '../types/ports';
import { OnCallOverrideRejectedError } from './errors';

/** The longest run-time override accepted: 90 days (longer cover belongs in the schedule's layers). */
export const MAX_OVERRIDE_MS = 90 * 86_400_000;

/** What `vigil oncall override` asks for. */
export interface OverrideRequest {
  readonly schedule: string;
  readonly person: string;
  /** Epoch ms. */
  readonly from: number;
  /** Epoch ms, after `from`. */
  readonly to: number;
  readonly reason?: string;
}

/** What changing overrides needs: the validated config, the store, a clock and who is asking. */
export interface OverrideContext {
  readonly config: Pick<OnCallConfig, 'people' | 'schedules'>;
  readonly store: OverrideStore;
  /** `$USER` locally, the AWS caller's ARN with `--aws`. */
  readonly actor: string;
  readonly now: () => number;
  /** @default a random id `ov-<12 hex>` */
  readonly newId?: () => string;
}

const defaultId = () => `ov-${randomUUID().replaceAll('-', '').slice(0, 12)}`;

const refuse = async (
  context: OverrideContext,
  record: Omit<OverrideAuditRecord, 'at' | 'actor' | 'outcome'>,
  reason: string,
): Promise<never> => {
  await context.store.appendAudit({
    ...record,
    at: context.now(),
    actor: context.actor,
    outcome: 'refused',
    reason,
  });
  throw new OnCallOverrideRejectedError(reason);
};

const problemOf = (config: OverrideContext['config'], request: OverrideRequest): string | undefined => {
  if (!Object.hasOwn(config.schedules, request.schedule)) {
    const known = Object.keys(config.schedules);
    return `unknown schedule '${request.schedule}' (known: ${known.length > 0 ? known.join(', ') : 'none'})`;
  }
  if (!Object.hasOwn(config.people, request.person)) {
    return `unknown person '${request.person}' (known: ${Object.keys(config.people).join(', ') || 'none'})`;
  }
  if (!Number.isFinite(request.from) || !Number.isFinite(request.to))
    return 'from and to must be valid times';
  if (request.to <= request.from) return "'to' must be after 'from'";
  if (request.to - request.from > MAX_OVERRIDE_MS) {
    return 'an override may last at most 90 days: change the schedule for longer cover';
  }
  return undefined;
};

/**
 * Creates a run-time override after checking the schedule and person exist and the times make sense.
 * Every attempt is audited; a refused one changes nothing and throws {@link OnCallOverrideRejectedError}.
 *
 * @example
 * await createOverride({ config, store, actor: 'alice', now: Date.now },
 *   { schedule: 'flight-primary', person: 'bob', from: Date.parse('2027-01-05T09:00Z'), to: Date.parse('2027-01-05T17:00Z') });
 */
export const createOverride = async (
  context: OverrideContext,
  request: OverrideRequest,
): Promise<ScheduleOverride> => {
  const problem = problemOf(context.config, request);
  const asked = {
    schedule: request.schedule,
    person: request.person,
    from: Number.isFinite(request.from) ? new Date(request.from).toISOString() : String(request.from),
    to: Number.isFinite(request.to) ? new Date(request.to).toISOString() : String(request.to),
  };
  if (problem !== undefined) return refuse(context, { action: 'create', request: asked }, problem);
  const now = context.now();
  const override: ScheduleOverride = {
    id: (context.newId ?? defaultId)(),
    schedule: request.schedule,
    person: request.person,
    start: request.from,
    end: request.to,
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    createdAt: now,
    createdBy: context.actor,
  };
  await context.store.putOverride(override);
  await context.store.appendAudit({
    at: now,
    actor: context.actor,
    action: 'create',
    outcome: 'done',
    override,
  });
  return override;
};

/** Deletes a run-time override by id; audited; an unknown id is refused (and audited) with nothing changed. */
export const deleteOverride = async (context: OverrideContext, id: string): Promise<ScheduleOverride> => {
  const deleted = await context.store.deleteOverride(id);
  if (deleted === undefined) {
    return refuse(context, { action: 'delete', request: { id } }, `no override with id '${id}'`);
  }
  await context.store.appendAudit({
    at: context.now(),
    actor: context.actor,
    action: 'delete',
    outcome: 'done',
    override: deleted,
  });
  return deleted;
};
