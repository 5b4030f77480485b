/**
 * Lua scripts: each store operation is one EVALSHA, so it is atomic across every n8n process and costs
 * one round trip. Time comes from the Redis server (`TIME`), not from the n8n hosts, so expiry does not
 * depend on their clocks agreeing; ARGV[1] overrides it only when a test injects a clock.
 *
 * Records of one identifier share its hash tag `{identity}` (one Redis Cluster slot):
 * - sends   `otp:{identity}`            s = send times (ms, space separated); TTL = send window;
 * - code    `otp:{identity}:<subject>`  v verification id, h code HMAC ('' = no valid code), x sealed code,
 *                                        e expires at (ms), a attempts used, m max attempts; TTL = expiry + grace;
 * - failures `otp:{identity}:failures`  f consecutive failures, l lockout ends at (ms); NO TTL — deleted only
 *                                        by a success or an administrator reset;
 * - TOTP    `otp:{identity}:totp:<subject>`  l last accepted step; TTL = a few periods.
 * - enrolment `otp:{identity}:enrolment`  a active sealed TOTP secret, p pending one; NO TTL.
 */

const NOW = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
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

/** Send times still inside the window. */
const SENDS = `
local function sendsOf(key, now, window)
  local sends = {}
  local raw = redis.call('HGET', key, 's')
  if raw then
    for ts in string.gmatch(raw, '%d+') do
      local n = tonumber(ts)
      if n > now - window then sends[#sends + 1] = n end
    end
  end
  return sends
end
local function sendRefusal(sends, now, maxSends, window, cooldown)
  if #sends > 0 and sends[#sends] + cooldown > now then return {'limited', 'cooldown', sends[#sends] + cooldown - now} end
  if #sends >= maxSends then return {'limited', 'send_limit', sends[1] + window - now} end
  return nil
end
local function recordSend(key, sends, now, window)
  sends[#sends + 1] = now
  redis.call('HSET', key, 's', table.concat(sends, ' '))
  extend(key, now, now + window)
end
`;

/**
 * The failure rule (failures.ts `lockoutAfter` is the same arithmetic). `closedState` answers whether
 * verification is shut right now; `fail` counts one failure and starts the lockout it earns.
 * Replies carry the state as {state, lockedUntil}: 'ended', 'locked' or ''.
 */
const FAILURES = `
local function closedState(key, now, ceiling)
  local r = redis.call('HMGET', key, 'f', 'l')
  local f, l = tonumber(r[1]) or 0, tonumber(r[2]) or 0
  if f >= ceiling then return 'ended', 0 end
  if l > now then return 'locked', l end
  return nil, 0
end
local function fail(key, now, ceiling, lockout, every, maxLock)
  local r = redis.call('HMGET', key, 'f', 'l')
  local f, l = (tonumber(r[1]) or 0) + 1, tonumber(r[2]) or 0
  if f < ceiling and f % every == 0 then
    l = now + math.min(maxLock, lockout * 2 ^ (f / every - 1))
  end
  redis.call('HSET', key, 'f', f, 'l', string.format('%d', l))
  if f >= ceiling then return 'ended', 0 end
  if l > now then return 'locked', l end
  return '', 0
end
`;

/**
 * KEYS: code, sends of the identity, failures, sends of the destination (= KEYS[2] when there is none).
 * ARGV: now, hash, sealed, vid, lifetime, maxAttempts, maxSends, window, cooldown, reuse, ceiling, grace.
 * Every refusal is decided before the first write: a refused code spends no send budget anywhere.
 * The destination key is outside the identity's hash slot (one script touching both needs a single
 * Redis, not a Cluster; that is what the credential connects to).
 */
export const ISSUE = `${NOW}${EXTEND}${SENDS}
local codeKey, sendsKey, failKey, destKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local lifetime, maxAttempts = tonumber(ARGV[5]), tonumber(ARGV[6])
local maxSends, window, cooldown = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local reuse, ceiling, grace = ARGV[10] == '1', tonumber(ARGV[11]), tonumber(ARGV[12])
local fr = redis.call('HMGET', failKey, 'f', 'l')
local f, l = tonumber(fr[1]) or 0, tonumber(fr[2]) or 0
if f >= ceiling then return {'limited', 'ended', 0} end
if l > now then return {'limited', 'locked', l - now} end
local sends = sendsOf(sendsKey, now, window)
local refused = sendRefusal(sends, now, maxSends, window, cooldown)
if refused then return refused end
local r = redis.call('HMGET', codeKey, 'v', 'h', 'x', 'e', 'a', 'm')
local e, a, m = tonumber(r[4]) or 0, tonumber(r[5]) or 0, tonumber(r[6]) or maxAttempts
local active = r[2] and r[2] ~= '' and e > now
if active and a >= m then return {'limited', 'attempts_exhausted', e - now} end
local destSends = nil
if destKey ~= sendsKey then
  destSends = sendsOf(destKey, now, window)
  refused = sendRefusal(destSends, now, maxSends, window, cooldown)
  if refused then return refused end
end
recordSend(sendsKey, sends, now, window)
if destSends then recordSend(destKey, destSends, now, window) end
if active and reuse and r[3] and r[3] ~= '' then
  return {'ok', r[1], e, 1, #sends, r[3]}
end
local vid = ARGV[4]
local resend = 0
if active then vid = r[1]; resend = 1 else a = 0; m = maxAttempts end
e = now + lifetime
redis.call('HSET', codeKey, 'v', vid, 'h', ARGV[2], 'x', ARGV[3], 'e', e, 'a', a, 'm', m)
redis.call('PEXPIRE', codeKey, math.ceil(e + grace - now))
return {'ok', vid, e, resend, #sends, ''}
`;

/**
 * KEYS: code, failures. ARGV: now, candidate hash, ceiling, lockout, failuresPerLockout, maxLockout.
 * Reply: {'approved', vid} or {'denied', reason, attemptsLeft, state, lockedUntil}.
 */
export const CHECK = `${NOW}${FAILURES}
local codeKey, failKey = KEYS[1], KEYS[2]
local ceiling, lockout, every, maxLock = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local state, until_ = closedState(failKey, now, ceiling)
if state then return {'denied', 'too_many_attempts', -1, state, until_} end
local r = redis.call('HMGET', codeKey, 'v', 'h', 'e', 'a', 'm')
if not r[2] or r[2] == '' then return {'denied', 'unknown', -1, '', 0} end
if tonumber(r[3]) <= now then
  redis.call('HSET', codeKey, 'h', '', 'x', '')
  return {'denied', 'expired', -1, '', 0}
end
local a, m = tonumber(r[4]), tonumber(r[5])
if a >= m then return {'denied', 'too_many_attempts', -1, '', 0} end
-- The attempt is spent before the comparison.
a = a + 1
redis.call('HSET', codeKey, 'a', a)
-- Both sides are HMAC-SHA-256 digests under a pepper Redis never sees; Lua 5.1 interns strings, so this
-- is a pointer comparison and its timing says nothing about the stored digest.
if r[2] == ARGV[2] then
  redis.call('HSET', codeKey, 'h', '', 'x', '')
  redis.call('DEL', failKey)
  return {'approved', r[1]}
end
state, until_ = fail(failKey, now, ceiling, lockout, every, maxLock)
return {'denied', 'wrong', m - a, state, until_}
`;

/**
 * KEYS: TOTP record, failures. ARGV: now, step (-1 = no match), ceiling, lockout, failuresPerLockout,
 * maxLockout, remember. Reply: {'approved', step} or {'denied', reason, state, lockedUntil}.
 */
export const TOTP = `${NOW}${EXTEND}${FAILURES}
local key, failKey = KEYS[1], KEYS[2]
local step, ceiling, lockout = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local every, maxLock, remember = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local state, until_ = closedState(failKey, now, ceiling)
if state then return {'denied', 'too_many_attempts', state, until_} end
local last = tonumber(redis.call('HGET', key, 'l')) or -1
if step >= 0 and step > last then
  redis.call('HSET', key, 'l', step)
  extend(key, now, now + remember)
  redis.call('DEL', failKey)
  return {'approved', step}
end
state, until_ = fail(failKey, now, ceiling, lockout, every, maxLock)
if step >= 0 then return {'denied', 'replayed', state, until_} end
return {'denied', 'wrong', state, until_}
`;

/** KEYS[1] code record; ARGV[1] hash to revoke. */
export const REVOKE = `
local h = redis.call('HGET', KEYS[1], 'h')
if h and h ~= '' and h == ARGV[1] then
  redis.call('HSET', KEYS[1], 'h', '', 'x', '')
  return 1
end
return 0
`;

/** KEYS[1] failures; ARGV[1] now. Reply: {failures, lockedUntil or 0}. */
export const FAILURE_STATE = `${NOW}
local r = redis.call('HMGET', KEYS[1], 'f', 'l')
local f, l = tonumber(r[1]) or 0, tonumber(r[2]) or 0
if l <= now then l = 0 end
return {f, string.format('%d', l)}
`;

/**
 * KEYS[1] failures. ARGV: now, ceiling, lockout, failuresPerLockout, maxLockout.
 * Reply: {'counted' | 'closed', state, lockedUntil}; a shut identity is not counted again.
 */
export const COUNT_FAILURE = `${NOW}${FAILURES}
local ceiling, lockout, every, maxLock = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local state, until_ = closedState(KEYS[1], now, ceiling)
if state then return {'closed', state, string.format('%d', until_)} end
state, until_ = fail(KEYS[1], now, ceiling, lockout, every, maxLock)
return {'counted', state, string.format('%d', until_)}
`;

/** KEYS[1] enrolment; ARGV[1] the pending sealed secret expected. Moves it to active: 1, or 0 when it changed. */
export const ACTIVATE_ENROLMENT = `
if redis.call('HGET', KEYS[1], 'p') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'a', ARGV[1])
redis.call('HDEL', KEYS[1], 'p')
return 1
`;
