// Moved to functions/commons/zoned-time.ts (shared with on-call schedules); kept so the engine's imports stay put.
export { type ZonedParts, zonedParts } from '../../commons/zoned-time';
