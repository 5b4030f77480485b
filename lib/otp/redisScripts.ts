/**
 * Lua scripts: each store operation is one EVALSHA, so it is atomic across every n8n process and costs
 * one round trip. Time comes from the Redis server (`TIME`), not from the n8n hosts, so expiry does not
 * depend on their clocks agreeing.
 *
 * Two hashes per code, in one hash slot (the identity is the hash tag, so Redis Cluster works):
 * - identity record (per identifier, every purpose): s send times (ms, space separated), f consecutive
 *   failures, fx when those failures are forgotten (ms);
 * - code record (per identifier + purpose): v verification id, h code HMAC ('' = no valid code),
 *   x sealed code, e expires at (ms), a attempts used, m max attempts.
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Keeps the key alive at least until `untilMs` (never shortens it). */
const EXTEND = `
local function extend(key, now, untilMs)
  local want = math.ceil(untilMs - now)
  if want < 1 then want = 1 end
  local cur = redis.call('PTTL', key)
  if cur < want then redis.call('PEXPIRE', key, want) end
end
`;

/** KEYS[1] code record, KEYS[2] identity record; ARGV: hash, sealed, vid, lifetime, maxAttempts, maxSends, window, cooldown, reuse, ceiling, lockout, grace */
export const ISSUE = `${NOW}${EXTEND}
local codeKey, idKey = KEYS[1], KEYS[2]
local lifetime, maxAttempts = tonumber(ARGV[4]), tonumber(ARGV[5])
local maxSends, window, cooldown = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local reuse, ceiling, grace = ARGV[9] == '1', tonumber(ARGV[10]), tonumber(ARGV[12])
local ir = redis.call('HMGET', idKey, 's', 'f', 'fx')
local f, fx = tonumber(ir[2]) or 0, tonumber(ir[3]) or 0
if fx <= now then f = 0; fx = 0 end
if f >= ceiling then return {'limited', 'locked', fx - now} end
local sends = {}
if ir[1] then
  for ts in string.gmatch(ir[1], '%d+') do
    local n = tonumber(ts)
    if n > now - window then sends[#sends + 1] = n end
  end
end
if #sends > 0 and sends[#sends] + cooldown > now then return {'limited', 'cooldown', sends[#sends] + cooldown - now} end
if #sends >= maxSends then return {'limited', 'send_limit', sends[1] + window - now} end
local r = redis.call('HMGET', codeKey, 'v', 'h', 'x', 'e', 'a', 'm')
local e, a, m = tonumber(r[4]) or 0, tonumber(r[5]) or 0, tonumber(r[6]) or maxAttempts
local active = r[2] and r[2] ~= '' and e > now
if active and a >= m then return {'limited', 'attempts_exhausted', e - now} end
sends[#sends + 1] = now
redis.call('HSET', idKey, 's', table.concat(sends, ' '), 'f', f, 'fx', fx)
extend(idKey, now, math.max(now + window, fx))
if active and reuse and r[3] and r[3] ~= '' then
  return {'ok', r[1], e, 1, #sends, r[3]}
end
local vid = ARGV[3]
local resend = 0
if active then vid = r[1]; resend = 1 else a = 0; m = maxAttempts end
e = now + lifetime
redis.call('HSET', codeKey, 'v', vid, 'h', ARGV[1], 'x', ARGV[2], 'e', e, 'a', a, 'm', m)
redis.call('PEXPIRE', codeKey, math.ceil(e + grace - now))
return {'ok', vid, e, resend, #sends, ''}
`;

/** KEYS[1] code record, KEYS[2] identity record; ARGV: candidate hash, ceiling, lockout */
export const CHECK = `${NOW}${EXTEND}
local codeKey, idKey = KEYS[1], KEYS[2]
local ceiling, lockout = tonumber(ARGV[2]), tonumber(ARGV[3])
local ir = redis.call('HMGET', idKey, 'f', 'fx')
local f, fx = tonumber(ir[1]) or 0, tonumber(ir[2]) or 0
if fx <= now then f = 0 end
if f >= ceiling then return {'denied', 'too_many_attempts'} end
local r = redis.call('HMGET', codeKey, 'v', 'h', 'e', 'a', 'm')
if not r[2] or r[2] == '' then return {'denied', 'unknown'} end
if tonumber(r[3]) <= now then
  redis.call('HSET', codeKey, 'h', '', 'x', '')
  return {'denied', 'expired'}
end
local a, m = tonumber(r[4]), tonumber(r[5])
if a >= m then return {'denied', 'too_many_attempts'} end
-- The attempt is spent before the comparison.
a = a + 1
redis.call('HSET', codeKey, 'a', a)
-- Both sides are HMAC-SHA-256 digests under a pepper Redis never sees; Lua 5.1 interns strings, so this
-- is a pointer comparison and its timing says nothing about the stored digest.
if r[2] == ARGV[1] then
  redis.call('HSET', codeKey, 'h', '', 'x', '')
  if ir[1] then redis.call('HSET', idKey, 'f', 0, 'fx', 0) end
  return {'approved', r[1]}
end
f = f + 1
fx = now + lockout
redis.call('HSET', idKey, 'f', f, 'fx', fx)
extend(idKey, now, fx)
return {'denied', 'wrong', m - a}
`;

/** KEYS[1] identity record of a destination; ARGV: maxSends, window, cooldown */
export const RESERVE = `${NOW}${EXTEND}
local idKey = KEYS[1]
local maxSends, window, cooldown = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local sends = {}
local raw = redis.call('HGET', idKey, 's')
if raw then
  for ts in string.gmatch(raw, '%d+') do
    local n = tonumber(ts)
    if n > now - window then sends[#sends + 1] = n end
  end
end
if #sends > 0 and sends[#sends] + cooldown > now then return {'limited', 'cooldown', sends[#sends] + cooldown - now} end
if #sends >= maxSends then return {'limited', 'send_limit', sends[1] + window - now} end
sends[#sends + 1] = now
redis.call('HSET', idKey, 's', table.concat(sends, ' '))
extend(idKey, now, now + window)
return {'ok'}
`;

/** KEYS[1] record; ARGV: hash to revoke */
export const REVOKE = `
local h = redis.call('HGET', KEYS[1], 'h')
if h and h ~= '' and h == ARGV[1] then
  redis.call('HSET', KEYS[1], 'h', '', 'x', '')
  return 1
end
return 0
`;

/** KEYS[1] TOTP record (l last accepted step, f, fx); ARGV: step (-1 = no match), ceiling, lockout, remember */
export const TOTP = `${NOW}${EXTEND}
local key = KEYS[1]
local step, ceiling, lockout, remember = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local r = redis.call('HMGET', key, 'l', 'f', 'fx')
local last, f, fx = tonumber(r[1]) or -1, tonumber(r[2]) or 0, tonumber(r[3]) or 0
if fx <= now then f = 0; fx = 0 end
if f >= ceiling then return {'denied', 'too_many_attempts'} end
if step >= 0 and step > last then
  redis.call('HSET', key, 'l', step, 'f', 0, 'fx', 0)
  extend(key, now, now + remember)
  return {'approved', step}
end
f = f + 1
fx = now + lockout
redis.call('HSET', key, 'l', last, 'f', f, 'fx', fx)
extend(key, now, math.max(fx, now + remember))
if step >= 0 then return {'denied', 'replayed'} end
return {'denied', 'wrong'}
`;
