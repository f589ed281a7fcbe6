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

// Live locks of a branch: ids scored by expiry in a sorted set, each lock a key with its own PX TTL.
const READ_LOCKS = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')
local locks = {}
for i = 1, #ids do
  local v = redis.call('GET', ARGV[1] .. ids[i])
  if v then locks[#locks + 1] = v end
end
local b = redis.call('HGETALL', KEYS[1])`;

/**
 * READ_BRANCH — KEYS: branch hash, lock zset; ARGV: lock key prefix.
 * Returns {now, branch hash fields, lock JSONs}: the whole write-permission check in one round trip.
 */
export const READ_BRANCH = script('aegis-read-branch', `${NOW}${READ_LOCKS}
return {tostring(now), b, locks}`);

/**
 * APPLY_BRANCH — compare-and-set of one decided change.
 * KEYS: branch hash, lock zset, branch index set; ARGV: lock key prefix, expected version, change JSON, index member.
 * Refuses ({0}) if the branch version moved since the snapshot; else removes, renews and adds locks (fencing
 * token = HINCRBY per branch, TTL = PX on the lock key and PEXPIREAT on the zset), sets the state, bumps the
 * version and returns {1, added lock JSONs, now, branch hash, live lock JSONs}.
 */
export const APPLY_BRANCH = script('aegis-apply-branch', `
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[2]) then return {0} end
${NOW}
local c = cjson.decode(ARGV[3])
for _, id in ipairs(c.remove) do
  redis.call('DEL', ARGV[1] .. id)
  redis.call('ZREM', KEYS[2], id)
end
for _, r in ipairs(c.renew) do
  local v = redis.call('GET', ARGV[1] .. r.id)
  if v then
    local l = cjson.decode(v)
    l.heartbeatAt = now
    l.expiresAt = now + r.ttlMs
    l.ttlMs = r.ttlMs
    redis.call('SET', ARGV[1] .. r.id, cjson.encode(l), 'PX', r.ttlMs)
    redis.call('ZADD', KEYS[2], l.expiresAt, r.id)
  end
end
local added = {}
for _, n in ipairs(c.add) do
  n.token = redis.call('HINCRBY', KEYS[1], 'tokenseq', 1)
  n.createdAt = now
  n.heartbeatAt = now
  n.expiresAt = now + n.ttlMs
  local v = cjson.encode(n)
  redis.call('SET', ARGV[1] .. n.id, v, 'PX', n.ttlMs)
  redis.call('ZADD', KEYS[2], n.expiresAt, n.id)
  added[#added + 1] = v
end
if c.state then
  redis.call('HSET', KEYS[1], 'state', c.state.state, 'reason', c.state.reason, 'actor', c.state.actor, 'since', now)
end
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[2], last[2]) end
redis.call('SADD', KEYS[3], ARGV[4])
${READ_LOCKS}
return {1, added, tostring(now), b, locks}`);

/**
 * CREATE_SHADOW — KEYS: in-flight key (branch + index type), shadow key, shadow index set;
 * ARGV: shadow JSON, id, shadow key prefix, JSON array of in-flight states. 0 if a build is in flight.
 */
export const CREATE_SHADOW = script('aegis-create-shadow', `
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
return 1`);

/** UPDATE_SHADOW — KEYS: shadow key; ARGV: JSON array of expected states, patch JSON. The new JSON, or nil. */
export const UPDATE_SHADOW = script('aegis-update-shadow', `
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
return out`);

/**
 * SWAP_POINTER — the atomic switch. KEYS: pointer hash; ARGV: expected active ('' = none), next, at,
 * moves JSON [{id, from, to}], shadow key prefix. previous := old active, shadows moved, all or nothing.
 * Returns {previous, active, switchedAt} or nil.
 */
export const SWAP_POINTER = script('aegis-swap-pointer', `
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
return {cur, ARGV[2], ARGV[3]}`);
