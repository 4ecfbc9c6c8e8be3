/**
 * The Redis ledger's writes, each one Lua script so it is atomic across every daemon sharing the
 * server. Keys are built from the prefix in ARGV[1] (one Redis server, not a cluster):
 * - `loop:<id>` hash, `loops` set, `names` hash (name → id, HSETNX: one live loop per name);
 * - `run:<id>` hash, `runs` / `loop-runs:<loopId>` zsets by slot, `queued` zset, `running` set,
 *   `running-of:<loopId>` set;
 * - `slots` hash `<loopId>:<scheduledFor>` → run id: HSETNX makes the slot key unique, so a slot
 *   gets one row however many daemons account it;
 * - `refs` hash `<loopId>:<triggerRef>` → run id (a commit or webhook delivery runs once);
 * - `daemon:<id>` hash, `daemons` set.
 */

/** Inserts a run unless its slot already has one. */
const INSERT_RUN = `
local function insertRun(P, loopId, at, id, fields, queued)
  if redis.call('HSETNX', P .. 'slots', loopId .. ':' .. at, id) == 0 then return false end
  redis.call('HSET', P .. 'run:' .. id, unpack(fields))
  redis.call('ZADD', P .. 'runs', at, id)
  redis.call('ZADD', P .. 'loop-runs:' .. loopId, at, id)
  if queued then redis.call('ZADD', P .. 'queued', at, id) end
  return true
end
`;

export const SCRIPTS = {
  /** ARGV: prefix, id, name, hash pairs… → 1, or 0 when the name is taken. */
  addLoop: `
local P = ARGV[1]
if redis.call('HSETNX', P .. 'names', ARGV[3], ARGV[2]) == 0 then return 0 end
redis.call('HSET', P .. 'loop:' .. ARGV[2], unpack(ARGV, 4))
redis.call('SADD', P .. 'loops', ARGV[2])
return 1`,

  /** ARGV: prefix, id, state, now. Resume moves the cursor to now; remove frees the name. */
  setState: `
local P, id, state, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local key = P .. 'loop:' .. id
local before = redis.call('HGET', key, 'state')
if not before then return 0 end
redis.call('HSET', key, 'state', state, 'updatedAtMs', now)
if state == 'active' then redis.call('HSET', key, 'cursorMs', now) end
if state == 'removed' and before ~= 'removed' then
  local name = redis.call('HGET', key, 'name')
  if redis.call('HGET', P .. 'names', name) == id then redis.call('HDEL', P .. 'names', name) end
  redis.call('HSET', key, 'name', name .. '#' .. id)
end
return 1`,

  /**
   * ARGV: prefix, loopId, fromCursor, toCursor, rows JSON ([{at, id, queued, fields}]). Moves
   * the cursor only from where the caller read it, and inserts the rows in the same step.
   */
  materialise: `${INSERT_RUN}
local P, loopId = ARGV[1], ARGV[2]
local key = P .. 'loop:' .. loopId
if redis.call('HGET', key, 'state') ~= 'active' then return 0 end
if redis.call('HGET', key, 'cursorMs') ~= ARGV[3] then return 0 end
redis.call('HSET', key, 'cursorMs', ARGV[4])
for _, row in ipairs(cjson.decode(ARGV[5])) do
  insertRun(P, loopId, row.at, row.id, row.fields, row.queued)
end
return 1`,

  /**
   * ARGV: prefix, loopId, triggerRef ('' for none), now, id, field pairs… → the run id, or nil
   * when the ref was seen. Two events in one millisecond take neighbouring instants.
   */
  insertEvent: `${INSERT_RUN}
local P, loopId, ref, now, id = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
if ref ~= '' and redis.call('HEXISTS', P .. 'refs', loopId .. ':' .. ref) == 1 then return false end
for at = now, now + 999 do
  local fields = { unpack(ARGV, 6) }
  table.insert(fields, 'scheduledFor')
  table.insert(fields, string.format('%d', at))
  if insertRun(P, loopId, string.format('%d', at), id, fields, true) then
    if ref ~= '' then redis.call('HSET', P .. 'refs', loopId .. ':' .. ref, id) end
    return id
  end
end
return false`,

  /** ARGV: prefix, id, reason, now → 1 when the run was queued and is now skipped. */
  skipQueued: `
local P, id = ARGV[1], ARGV[2]
local key = P .. 'run:' .. id
if redis.call('HGET', key, 'status') ~= 'queued' then return 0 end
redis.call('HSET', key, 'status', 'skipped', 'reason', ARGV[3], 'endedAtMs', ARGV[4])
redis.call('ZREM', P .. 'queued', id)
return 1`,

  /**
   * ARGV: prefix, id, daemonId, host, leaseUntil, now, exclusive ('1': refuse while the loop
   * has a running run) → 1 claimed, 0 not queued (someone else has it), -1 loop busy.
   */
  claim: `
local P, id = ARGV[1], ARGV[2]
local key = P .. 'run:' .. id
if redis.call('HGET', key, 'status') ~= 'queued' then return 0 end
local loopId = redis.call('HGET', key, 'loopId')
if ARGV[7] == '1' and redis.call('SCARD', P .. 'running-of:' .. loopId) > 0 then return -1 end
redis.call('HSET', key, 'status', 'running', 'daemonId', ARGV[3], 'host', ARGV[4],
  'leaseUntilMs', ARGV[5], 'heartbeatAtMs', ARGV[6], 'startedAtMs', ARGV[6])
redis.call('ZREM', P .. 'queued', id)
redis.call('SADD', P .. 'running', id)
redis.call('SADD', P .. 'running-of:' .. loopId, id)
return 1`,

  /** ARGV: prefix, id, daemonId, field pairs… → set only while the owner still runs it. */
  recordProcess: `
local key = ARGV[1] .. 'run:' .. ARGV[2]
if redis.call('HGET', key, 'status') ~= 'running' then return 0 end
if redis.call('HGET', key, 'daemonId') ~= ARGV[3] then return 0 end
redis.call('HSET', key, unpack(ARGV, 4))
return 1`,

  /**
   * ARGV: prefix, id, daemonId ('' for anyone: the reaper), field pairs… → 1 when this call
   * ended the run; 0 when it had ended already (the first verdict stands).
   */
  finalize: `
local P, id = ARGV[1], ARGV[2]
local key = P .. 'run:' .. id
if redis.call('HGET', key, 'status') ~= 'running' then return 0 end
if ARGV[3] ~= '' and redis.call('HGET', key, 'daemonId') ~= ARGV[3] then return 0 end
redis.call('HSET', key, unpack(ARGV, 4))
redis.call('HDEL', key, 'leaseUntilMs')
redis.call('SREM', P .. 'running', id)
redis.call('SREM', P .. 'running-of:' .. redis.call('HGET', key, 'loopId'), id)
return 1`,

  /** ARGV: prefix, daemonId, now, leaseUntil: extends this daemon's leases and heartbeat. */
  heartbeat: `
local P, me = ARGV[1], ARGV[2]
for _, id in ipairs(redis.call('SMEMBERS', P .. 'running')) do
  local key = P .. 'run:' .. id
  if redis.call('HGET', key, 'daemonId') == me then
    redis.call('HSET', key, 'heartbeatAtMs', ARGV[3], 'leaseUntilMs', ARGV[4])
  end
end
if redis.call('EXISTS', P .. 'daemon:' .. me) == 1 then
  redis.call('HSET', P .. 'daemon:' .. me, 'heartbeatAtMs', ARGV[3])
end
return 1`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
