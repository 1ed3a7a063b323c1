local out = {}
local n = 0
for i = 1, #KEYS, 2 do
	local v = redis.call('GET', KEYS[i])
	out[n + 1] = v
	if v then
		local m = redis.call('HMGET', KEYS[i + 1], 'version', 'revision', 'format', 'type', 'tags',
			'checksum', 'createdAt', 'updatedAt', 'expiresAt')
		for j = 1, 9 do
			out[n + 1 + j] = m[j]
		end
	else
		for j = 1, 9 do
			out[n + 1 + j] = false
		end
	end
	n = n + 10
end
return out
