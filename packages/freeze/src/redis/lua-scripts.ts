import { createHash } from 'node:crypto';

/** A Lua script with its SHA1 (run by EVALSHA, falling back to EVAL after a server restart). */
export interface LuaScript {
  name: string;
  lua: string;
  sha: string;
}

function script(name: string, lua: string): LuaScript {
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

// Milliseconds from the server clock: every expiry decision uses Redis time, like PEXPIRE does.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * READ_BRANCH — KEYS: branch hash, lock document. Returns {TIME seconds, TIME microseconds, HMGET state since
 * reason actor version tokenseq, lock document}: a consistent snapshot, and the whole write-permission check, in
 * one round trip.
 */
export const READ_BRANCH = script(
  'aegis-read-branch',
  `
local t = redis.call('TIME')
return {t[1], t[2], redis.call('HMGET', KEYS[1], 'state', 'since', 'reason', 'actor', 'version', 'tokenseq'), redis.call('GET', KEYS[2])}`,
);

/**
 * APPLY_BRANCH — compare-and-set of one decided change, with its audit records.
 * KEYS: branch hash, lock document, branch index set, audit outbox stream; ARGV: expected version, change JSON,
 * index member, the snapshot's time, then one audit record JSON per further argument.
 * The branch's live locks are one JSON document whose PXAT is the latest expiry, so a branch whose locks all
 * lapse leaves nothing behind; a lock is live while its expiresAt is after Redis TIME.
 * Refuses ({0}) if the branch version moved since the snapshot; else drops expired and removed locks, renews
 * heartbeats, adds the locks as decided (tokens and times assigned from the snapshot, which the version pins:
 * tokenseq moves only here), sets the state (since = the snapshot's time), bumps the version, appends the audit
 * records to the outbox stream — all in this one script, so the change never lands without its records — and
 * returns {1, now, state, since, reason, actor, version, lock document}.
 */
export const APPLY_BRANCH = script(
  'aegis-apply-branch',
  `
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then return {0} end
${NOW}
local at = tonumber(ARGV[4])
local c = cjson.decode(ARGV[2])
local drop = {}
for _, id in ipairs(c.remove) do drop[id] = true end
local renew = {}
for _, r in ipairs(c.renew) do renew[r.id] = r.ttlMs end
local doc = redis.call('GET', KEYS[2])
local locks = {}
if doc then
  for _, l in ipairs(cjson.decode(doc)) do
    if l.expiresAt > now and not drop[l.id] then
      if renew[l.id] then
        l.heartbeatAt = now
        l.expiresAt = now + renew[l.id]
        l.ttlMs = renew[l.id]
      end
      locks[#locks + 1] = l
    end
  end
end
for _, n in ipairs(c.add) do
  locks[#locks + 1] = n
  redis.call('HSET', KEYS[1], 'tokenseq', n.token)
end
if c.state then
  redis.call('HSET', KEYS[1], 'state', c.state.state, 'reason', c.state.reason, 'actor', c.state.actor, 'since', at)
end
local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
local out = ''
if #locks > 0 then
  local last = 0
  for _, l in ipairs(locks) do if l.expiresAt > last then last = l.expiresAt end end
  out = cjson.encode(locks)
  redis.call('SET', KEYS[2], out, 'PXAT', last)
else
  redis.call('DEL', KEYS[2])
end
redis.call('SADD', KEYS[3], ARGV[3])
for i = 5, #ARGV do redis.call('XADD', KEYS[4], '*', 'record', ARGV[i]) end
local b = redis.call('HMGET', KEYS[1], 'state', 'since', 'reason', 'actor')
return {1, tostring(now), b[1] or false, b[2] or false, b[3] or false, b[4] or false, tostring(v), out}`,
);

/**
 * CREATE_SHADOW — KEYS: in-flight key (branch + index type), shadow key, shadow index set, audit outbox stream;
 * ARGV: shadow JSON, id, shadow key prefix, JSON array of in-flight states, then one audit record JSON per further
 * argument (appended to the outbox with the build). 0 if a build is in flight.
 */
export const CREATE_SHADOW = script(
  'aegis-create-shadow',
  `
local cur = redis.call('GET', KEYS[1])
if cur then
  local v = redis.call('GET', ARGV[3] .. cur)
  if v then
    local s = cjson.decode(v)
    for _, st in ipairs(cjson.decode(ARGV[4])) do
      if s.state == st then return 0 end
    end
  end
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
for i = 5, #ARGV do redis.call('XADD', KEYS[4], '*', 'record', ARGV[i]) end
return 1`,
);

/**
 * UPDATE_SHADOW — KEYS: shadow key, audit outbox stream; ARGV: JSON array of expected states, patch JSON, then one
 * audit record JSON per further argument (appended to the outbox only if the build was updated). The new JSON, or
 * nil.
 */
export const UPDATE_SHADOW = script(
  'aegis-update-shadow',
  `
local v = redis.call('GET', KEYS[1])
if not v then return false end
local s = cjson.decode(v)
local ok = false
for _, st in ipairs(cjson.decode(ARGV[1])) do
  if s.state == st then ok = true end
end
if not ok then return false end
for k, val in pairs(cjson.decode(ARGV[2])) do s[k] = val end
local out = cjson.encode(s)
redis.call('SET', KEYS[1], out)
for i = 3, #ARGV do redis.call('XADD', KEYS[2], '*', 'record', ARGV[i]) end
return out`,
);

/**
 * SWAP_POINTER — the atomic switch. KEYS: pointer hash, audit outbox stream; ARGV: expected active ('' = none),
 * next, at, moves JSON [{id, from, to}], shadow key prefix, then one audit record JSON per further argument
 * (appended to the outbox with the swap). previous := old active, shadows moved, records queued, all or nothing.
 * Returns {previous, active, switchedAt} or nil.
 */
export const SWAP_POINTER = script(
  'aegis-swap-pointer',
  `
local cur = redis.call('HGET', KEYS[1], 'active') or ''
if cur ~= ARGV[1] then return false end
local moves = cjson.decode(ARGV[4])
local docs = {}
for i, m in ipairs(moves) do
  local v = redis.call('GET', ARGV[5] .. m.id)
  if not v then return false end
  local s = cjson.decode(v)
  if s.state ~= m.from then return false end
  s.state = m.to
  s.updatedAt = tonumber(ARGV[3])
  docs[i] = s
end
for i, m in ipairs(moves) do redis.call('SET', ARGV[5] .. m.id, cjson.encode(docs[i])) end
redis.call('HSET', KEYS[1], 'previous', cur, 'active', ARGV[2], 'switchedAt', ARGV[3])
for i = 6, #ARGV do redis.call('XADD', KEYS[2], '*', 'record', ARGV[i]) end
return {cur, ARGV[2], ARGV[3]}`,
);

/**
 * ADD_MEMBER — KEYS: the set (a sorted set scored by the order of addition: members lapse only with the whole
 * set, so its size numbers them); ARGV: member, ttl ms. Adds the member if absent and keeps the whole set ttl ms
 * from now. Returns 1 when the member was added.
 */
export const ADD_MEMBER = script(
  'aegis-add-member',
  `
local added = redis.call('ZADD', KEYS[1], 'NX', redis.call('ZCARD', KEYS[1]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return added`,
);
