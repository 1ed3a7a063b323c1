local function epoch_ms(s)
	local y, mo, d, h, mi, sec, frac = string.match(s, '^([+-]?%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)Z$')
	if not y then
		return nil
	end
	y = tonumber(y)
	mo = tonumber(mo)
	if mo <= 2 then
		y = y - 1
	end
	local era = math.floor(y / 400)
	local yoe = y - era * 400
	local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + tonumber(d) - 1
	local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
	local days = era * 146097 + doe - 719468
	local ms = 0
	if frac ~= '' then
		ms = tonumber(string.sub(frac .. '00', 1, 3))
	end
	return ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(sec) * 1000 + ms
end

-- conditions use the server's clock, so that instances with skewed clocks agree
local function server_now()
	local t = redis.call('TIME')
	return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function live(vkey, mkey, now)
	if redis.call('EXISTS', vkey) == 0 then
		return nil
	end
	local m = redis.call('HMGET', mkey, 'version', 'revision', 'createdAt', 'expiresAt')
	if m[4] then
		local expires = epoch_ms(m[4])
		if expires and expires <= now then
			return nil
		end
	end
	return { tonumber(m[1]) or 1, tonumber(m[2]) or 0, m[3] }
end

local function allowed(kind, expected, cur)
	if kind == 'ALWAYS' then
		return true
	elseif kind == 'ABSENT' then
		return cur == nil
	elseif cur == nil then
		return false
	elseif kind == 'PRESENT' then
		return true
	elseif kind == 'VERSION' then
		return cur[1] == expected
	elseif kind == 'REVISION' then
		return cur[2] == expected
	end
	return false
end
