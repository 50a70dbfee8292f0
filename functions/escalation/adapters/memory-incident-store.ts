import type { AckRecord, AlarmClaim, AuditRecord, Incident } from '../types/incident';
import type { IncidentStore } from '../types/ports';
import { auditKey } from './audit-key';

/** An in-memory {@link IncidentStore} for `vigil simulate`, `npm start` and benchmarks. Same semantics as DynamoDB's. */
export class MemoryIncidentStore implements IncidentStore {
  private readonly incidents = new Map<string, Incident>();
  private readonly acks = new Map<string, AckRecord>();
  private readonly audit = new Map<string, Map<string, AuditRecord>>();
  private readonly claims = new Map<string, AlarmClaim>();
  private readonly transitions = new Map<string, Set<number>>();

  public async createIncident(incident: Incident): Promise<boolean> {
    if (this.incidents.has(incident.id)) return false;
    this.incidents.set(incident.id, incident);
    return true;
  }

  public async getIncident(incidentId: string): Promise<Incident | undefined> {
    return this.incidents.get(incidentId);
  }

  public async recordAck(ack: AckRecord): Promise<{ ack: AckRecord; created: boolean }> {
    const existing = this.acks.get(ack.incidentId);
    if (existing !== undefined) return { ack: existing, created: false };
    this.acks.set(ack.incidentId, ack);
    return { ack, created: true };
  }

  public async getAck(incidentId: string): Promise<AckRecord | undefined> {
    return this.acks.get(incidentId);
  }

  public async appendAudit(record: AuditRecord): Promise<void> {
    const records = this.audit.get(record.incidentId) ?? new Map<string, AuditRecord>();
    const key = auditKey(record);
    if (!records.has(key)) records.set(key, record);
    this.audit.set(record.incidentId, records);
  }

  public async listAudit(incidentId: string): Promise<AuditRecord[]> {
    return [...(this.audit.get(incidentId)?.values() ?? [])].sort((a, b) => a.at - b.at);
  }

  // Each method reads and writes the map without awaiting in between: in one event loop that is the atomic
  // conditional write DynamoDB gives the deployed engine.
  public async claimAlarm(
    claim: Omit<AlarmClaim, 'token'>,
    now: number,
  ): Promise<{ claimed: boolean; holder: AlarmClaim }> {
    const holder = this.claims.get(claim.alarmKey);
    if (holder !== undefined && holder.incidentId !== claim.incidentId && holder.until >= now)
      return { claimed: false, holder };
    this.claims.set(claim.alarmKey, claim);
    return { claimed: true, holder: claim };
  }

  public async renewAlarm(claim: AlarmClaim): Promise<boolean> {
    if (this.claims.get(claim.alarmKey)?.incidentId !== claim.incidentId) return false;
    this.claims.set(claim.alarmKey, claim);
    return true;
  }

  public async releaseAlarm(alarmKey: string, incidentId: string): Promise<void> {
    if (this.claims.get(alarmKey)?.incidentId === incidentId) this.claims.delete(alarmKey);
  }

  public async getAlarmClaim(alarmKey: string): Promise<AlarmClaim | undefined> {
    return this.claims.get(alarmKey);
  }

  public async alarmTransitions(
    alarmKey: string,
    update: { readonly since: number; readonly add?: number },
  ): Promise<number[]> {
    const kept = [
      ...(this.transitions.get(alarmKey) ?? []),
      ...(update.add !== undefined ? [update.add] : []),
    ]
      .filter((at) => at >= update.since)
      .sort((a, b) => a - b);
    this.transitions.set(alarmKey, new Set(kept));
    return [...new Set(kept)];
  }
}
