local now = server_now()
local channel = ARGV[2]
local kind = ARGV[3]
local expected = tonumber(ARGV[4])
local out = {}
for i = 0, (#KEYS - 1) / 2 - 1 do
	local vkey = KEYS[2 + 2 * i]
	local mkey = KEYS[3 + 2 * i]
	local a = 5 + 9 * i
	local cur = live(vkey, mkey, now)
	if not allowed(kind, expected, cur) then
		return {}
	end
	local version = 1
	local created = ARGV[a + 6]
	if cur then
		version = cur[1] + 1
		if cur[3] then
			created = cur[3]
		end
	end
	local revision = redis.call('INCR', KEYS[1])
	local r = string.format('%d', revision)
	redis.call('SET', vkey, ARGV[a + 1])
	redis.call('DEL', mkey)
	local fields = { 'version', string.format('%d', version), 'revision', r, 'format', ARGV[a + 2],
		'checksum', ARGV[a + 5], 'createdAt', created, 'updatedAt', ARGV[a + 6] }
	if ARGV[a + 3] ~= '' then
		fields[#fields + 1] = 'type'
		fields[#fields + 1] = ARGV[a + 3]
	end
	if ARGV[a + 4] ~= '' then
		fields[#fields + 1] = 'tags'
		fields[#fields + 1] = ARGV[a + 4]
	end
	if ARGV[a + 7] ~= '' then
		fields[#fields + 1] = 'expiresAt'
		fields[#fields + 1] = ARGV[a + 7]
	end
	redis.call('HSET', mkey, unpack(fields))
	if ARGV[a + 8] ~= '' then
		redis.call('PEXPIREAT', vkey, ARGV[a + 8])
		redis.call('PEXPIREAT', mkey, ARGV[a + 8])
	end
	redis.call('PUBLISH', channel, 'PUT ' .. r .. ' ' .. ARGV[a])
	out[3 * i + 1] = version
	out[3 * i + 2] = revision
	out[3 * i + 3] = created
end
return out
