import { LuaScript } from './lua-script.util';
import { ENVELOPE_FIELD } from './stream-keys.util';

// Every script touches only keys of one logical stream (one hash tag), so it runs on Redis
// Cluster. Writes come after checks and the destructive step comes last, so a script that fails
// half-way (an OOM on XADD) never drops a message.

/**
 * Weighted read of the four lanes. ARGV: group, consumer, share per lane (4), capacity.
 * Pass 1 reads each lane's share; pass 2 gives unused capacity to lanes that may hold more,
 * highest priority first. Returns { laneIndex, entries } pairs.
 */
export const READ_LANES = new LuaScript(
  'readLanes',
  4,
  `
local group, consumer = ARGV[1], ARGV[2]
local capacity = tonumber(ARGV[7])
local out, got, total = {}, {}, 0
local function read(i, count)
  local r = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', KEYS[i], '>')
  if not r then return 0 end
  local entries = r[1][2]
  out[#out + 1] = { i - 1, entries }
  total = total + #entries
  return #entries
end
for i = 1, 4 do
  local share = tonumber(ARGV[2 + i])
  got[i] = 0
  if share > 0 then got[i] = read(i, share) end
end
for i = 1, 4 do
  if total >= capacity then break end
  if got[i] >= tonumber(ARGV[2 + i]) then read(i, capacity - total) end
end
return out
`,
);

/**
 * This consumer's own pending entries of one lane after ARGV[3] (a history read, id-based), with
 * their delivery counts. ARGV: group, consumer, after-id, count. Returns { entries, pending }.
 */
export const READ_HISTORY = new LuaScript(
  'readHistory',
  1,
  `
local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], ARGV[3])
local entries = r and r[1][2] or {}
if #entries == 0 then return { {}, {} } end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], entries[1][1], entries[#entries][1], #entries, ARGV[2])
return { entries, pending }
`,
);

/**
 * XAUTOCLAIM entries idle for ARGV[3] ms from any consumer, with their delivery counts.
 * ARGV: group, consumer, min-idle-ms, cursor, count. Returns { cursor, entries, counts, deletedIds }.
 */
export const CLAIM_IDLE = new LuaScript(
  'claimIdle',
  1,
  `
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local counts = {}
for i, entry in ipairs(r[2]) do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], entry[1], entry[1], 1)
  counts[i] = p[1] and p[1][4] or 0
end
return { r[1], r[2], counts, r[3] or {} }
`,
);

/**
 * Moves one entry to the dead-letter stream: only while it is still pending for this consumer
 * (another consumer may have reclaimed it), XADD to the dead stream first, XACK last.
 * KEYS: lane, dead. ARGV: group, consumer, id, field/value pairs. Returns 1 if moved, else 0.
 */
export const DEAD_LETTER = new LuaScript(
  'deadLetter',
  2,
  `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
return 1
`,
);

/**
 * Puts a dead letter back on its lane for the group it failed in, then deletes it from the dead
 * stream. KEYS: the four lanes, dead. ARGV: dead-letter id. Returns the new entry id or false.
 */
export const REPLAY_DEAD_LETTER = new LuaScript(
  'replayDeadLetter',
  5,
  `
local found = redis.call('XRANGE', KEYS[5], ARGV[1], ARGV[1])
if #found == 0 then return false end
local f, m = found[1][2], {}
for i = 1, #f, 2 do m[f[i]] = f[i + 1] end
if not m['${ENVELOPE_FIELD}'] or not m.group then return redis.error_reply('dead letter ' .. ARGV[1] .. ' has no envelope or group') end
local lanes = { critical = 1, high = 2, medium = 3, low = 4 }
local lane = lanes[m.priority] or 3
local id = redis.call('XADD', KEYS[lane], '*', '${ENVELOPE_FIELD}', m['${ENVELOPE_FIELD}'], 'replayFor', m.group, 'replayOf', ARGV[1])
redis.call('XDEL', KEYS[5], ARGV[1])
return id
`,
);

/** A reply to a request, on the requester's reply stream, which expires when unused. */
export const WRITE_REPLY = new LuaScript(
  'writeReply',
  1,
  `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'correlationId', ARGV[1], 'body', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return id
`,
);

/**
 * Trims one lane below the first entry some group still needs: for each group its oldest pending
 * entry, or (nothing pending) the entry after its last-delivered id; lowered further to the
 * age bound ARGV[1] when given. A stream without groups is left alone: nothing proves its entries
 * were consumed. ARGV: age-bound id or '', '1' for approximate trimming. Returns { minId, trimmed }.
 */
export const SAFE_TRIM = new LuaScript(
  'safeTrim',
  1,
  `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq), ms
end
local function less(a, b)
  local ams, aseq = parse(a)
  local bms, bseq = parse(b)
  if ams ~= bms then return ams < bms end
  return aseq < bseq
end
if redis.call('EXISTS', KEYS[1]) == 0 then return { '', 0 } end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then return { '', 0 } end
local bound = nil
for _, g in ipairs(groups) do
  local name, last
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
  end
  local p = redis.call('XPENDING', KEYS[1], name)
  local candidate
  if p[1] > 0 then
    candidate = p[2]
  else
    local _, seq, msText = parse(last)
    candidate = msText .. '-' .. string.format('%d', seq + 1)
  end
  if bound == nil or less(candidate, bound) then bound = candidate end
end
if ARGV[1] ~= '' and less(ARGV[1], bound) then bound = ARGV[1] end
local trimmed
if ARGV[2] == '1' then
  trimmed = redis.call('XTRIM', KEYS[1], 'MINID', '~', bound)
else
  trimmed = redis.call('XTRIM', KEYS[1], 'MINID', bound)
end
return { bound, trimmed }
`,
);

/**
 * Deletes consumers that hold nothing and were idle longer than ARGV[2] ms (crashed or scaled-down
 * processes), never this one. Checked and deleted in one step: DELCONSUMER drops a consumer's
 * pending entries, so a consumer that just read something must not be deleted.
 * ARGV: group, min-idle-ms, own consumer name. Returns the number deleted.
 */
export const REAP_CONSUMERS = new LuaScript(
  'reapConsumers',
  1,
  `
local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if not ok then return 0 end
local deleted = 0
for _, c in ipairs(consumers) do
  local name, pending, idle
  for i = 1, #c, 2 do
    if c[i] == 'name' then name = c[i + 1] elseif c[i] == 'pending' then pending = c[i + 1] elseif c[i] == 'idle' then idle = c[i + 1] end
  end
  if name ~= ARGV[3] and pending == 0 and idle > tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    deleted = deleted + 1
  end
end
return deleted
`,
);
