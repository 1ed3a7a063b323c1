local cur = live(KEYS[1], KEYS[2], server_now())
if cur == nil and redis.call('EXISTS', KEYS[1]) == 1 then
	-- expired but not yet removed by Redis: remove it, announced like every change
	local expired = redis.call('INCR', KEYS[3])
	redis.call('DEL', KEYS[1], KEYS[2])
	redis.call('PUBLISH', ARGV[2], 'DELETE ' .. string.format('%d', expired) .. ' ' .. ARGV[5])
	return 0
end
if not allowed(ARGV[3], tonumber(ARGV[4]), cur) then
	return 0
end
local revision = redis.call('INCR', KEYS[3])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[2], 'DELETE ' .. string.format('%d', revision) .. ' ' .. ARGV[5])
return 1
