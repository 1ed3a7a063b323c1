local out = {}
for i = 1, #KEYS, 2 do
	out[i] = redis.call('HGET', KEYS[i + 1], 'expiresAt')
	out[i + 1] = redis.call('PTTL', KEYS[i])
end
return out
