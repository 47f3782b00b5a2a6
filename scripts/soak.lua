-- wrk script for scripts/soak.sh: mixed identity-provider traffic against `sftpidp serve`.
--
-- Usage: wrk ... -s scripts/soak.lua URL -- MODE KEY_USERS
--   MODE well-formed: key logins, right and wrong passwords, unknown users, churned users; every answer must be 200.
--   MODE malformed:   broken paths, huge headers, bad base64, broken escapes, aimed at users that must never be
--                     allowed; an answer may be 4xx or 200 {} but never 5xx and never an allow.
-- Environment: SOAK_TOKEN (the bearer token), SOAK_SEED (the random seed; each thread adds its number).
-- Users (seeded by soak.sh): key-NNNNNN (key only, home /soak/key-NNNNNN), pw-NN (password "soak-pw-NN-ok"),
-- wrong-NN (password only, only ever asked with a wrong password or a malformed request), churn-N (created and
-- deleted by the CLI during the run: allowed or denied, both fine).
-- Every allow names its user in HomeDirectory (/soak/<user>...), so a wrong allow is caught without pairing
-- requests with answers.

local server = "s-0123456789abcdef0"
local token = os.getenv("SOAK_TOKEN") or ""
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("thread_number", counter)
    table.insert(threads, thread)
end

function init(args)
    mode = args[1] or "well-formed"
    key_users = tonumber(args[2] or "100")
    math.randomseed(tonumber(os.getenv("SOAK_SEED") or "1") + thread_number)
    answers, allows, churn_allows, denials, not_ok, server_errors, wrong_allows = 0, 0, 0, 0, 0, 0, 0
    expected_allows, first_violation = 0, ""
end

local function headers(extra)
    local h = { ["Authorization"] = "Bearer " .. token }
    for k, v in pairs(extra or {}) do h[k] = v end
    return h
end

local function config_path(user, query)
    return "/servers/" .. server .. "/users/" .. user .. "/config?protocol=SFTP&sourceIp=" .. (query or "10.1.2.3")
end

local function random_ip(prefix)
    return prefix .. math.random(0, 255)
end

local function key_user()
    return string.format("key-%06d", math.random(0, key_users - 1))
end

-- Base64 of a string (the PasswordBase64 header).
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(text)
    return ((text:gsub(".", function(c)
        local bits, byte = "", c:byte()
        for i = 8, 1, -1 do bits = bits .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
        return bits
    end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(bits)
        if #bits < 6 then return "" end
        local n = 0
        for i = 1, 6 do n = n + (bits:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
        return alphabet:sub(n + 1, n + 1)
    end) .. ({ "", "==", "=" })[#text % 3 + 1])
end

local function well_formed()
    local roll = math.random(100)
    local n = string.format("%02d", math.random(0, 9))
    if roll <= 45 then -- key login of a seeded user: allowed
        expected_allows = expected_allows + 1
        return wrk.format("GET", config_path(key_user()), headers())
    elseif roll <= 55 then -- right password: allowed
        expected_allows = expected_allows + 1
        return wrk.format("GET", config_path("pw-" .. n, random_ip("10.9.0.")), headers({ Password = "soak-pw-" .. n .. "-ok" }))
    elseif roll <= 60 then -- right password as PasswordBase64: allowed
        expected_allows = expected_allows + 1
        return wrk.format("GET", config_path("pw-" .. n, random_ip("10.9.1.")), headers({ PasswordBase64 = base64("soak-pw-" .. n .. "-ok") }))
    elseif roll <= 70 then -- wrong password (these users get throttled: still 200 {})
        return wrk.format("GET", config_path("wrong-" .. n, random_ip("198.51.100.")), headers({ Password = "not-the-password-" .. math.random(1e6) }))
    elseif roll <= 75 then -- wrong password for a password user through the function-style event
        local body = string.format('{"username":"wrong-%s","password":"guess-%d","protocol":"SFTP","serverId":"%s","sourceIp":"%s"}',
            n, math.random(1e6), server, random_ip("198.51.100."))
        return wrk.format("POST", "/", headers({ ["Content-Type"] = "application/json" }), body)
    elseif roll <= 85 then -- unknown user, key or password
        local user = "nobody-" .. math.random(0, 999) -- a bounded set, so the throttle's table fills up early
        if math.random(2) == 1 then return wrk.format("GET", config_path(user), headers()) end
        return wrk.format("GET", config_path(user, random_ip("192.0.2.")), headers({ Password = "whatever" }))
    elseif roll <= 92 then -- users the CLI creates and deletes during the run: either answer
        return wrk.format("GET", config_path("churn-" .. math.random(0, 19)), headers())
    elseif roll <= 96 then -- key login over FTP: always denied
        return wrk.format("GET", "/servers/" .. server .. "/users/" .. key_user() .. "/config?protocol=FTP&sourceIp=10.1.2.3", headers())
    else -- key login as a function-style event: allowed
        expected_allows = expected_allows + 1
        local body = string.format('{"username":"%s","protocol":"SFTP","serverId":"%s","sourceIp":"10.1.2.3"}', key_user(), server)
        return wrk.format("POST", "/", headers({ ["Content-Type"] = "application/json" }), body)
    end
end

local function malformed()
    local roll = math.random(9)
    local n = string.format("%02d", math.random(0, 9))
    local user = "wrong-" .. n
    if roll == 1 then -- broken percent escapes
        return wrk.format("GET", "/servers/" .. server .. "/users/" .. user .. "%zz%/config?protocol=SFTP", headers())
    elseif roll == 2 then -- PasswordBase64 that is not base64, or not UTF-8
        local value = math.random(2) == 1 and "!!not*base64!!" or "/w=="
        return wrk.format("GET", config_path(user), headers({ PasswordBase64 = value }))
    elseif roll == 3 then -- a huge header field
        return wrk.format("GET", config_path(user), headers({ ["X-Padding"] = string.rep("a", 12 * 1024) }))
    elseif roll == 4 then -- too many header fields
        local h = {}
        for i = 1, 120 do h["X-Field-" .. i] = "v" end
        return wrk.format("GET", config_path(user), headers(h))
    elseif roll == 5 then -- path tricks and a very long path
        local paths = { "/servers//users//config", "/servers/" .. server .. "/users/../../" .. user .. "/config",
            "/servers/" .. server .. "/users/" .. user .. "%00/config", "/" .. string.rep("x/", 3000),
            "/servers/" .. server .. "/users/" .. user .. "/config?protocol=SFTP&protocol=FTP&sourceIp=::::" }
        return wrk.format("GET", paths[math.random(#paths)], headers())
    elseif roll == 6 then -- a body that is not a JSON object, or has a wrong type
        local bodies = { "[1,2", '{"username":5,"protocol":"SFTP","serverId":"' .. server .. '"}', string.rep("{", 5000), "\0\1\2" }
        return wrk.format("POST", "/", headers({ ["Content-Type"] = "application/json" }), bodies[math.random(#bodies)])
    elseif roll == 7 then -- a PasswordBase64 of a single character and an empty Password
        return wrk.format("GET", config_path(user), headers({ PasswordBase64 = "%", Password = "" }))
    elseif roll == 8 then -- no token or a wrong one
        return wrk.format("GET", config_path(user), { Authorization = "Bearer wrong-token" })
    else -- a control character in the user name and an absurd source IP, with a wrong password
        return wrk.format("GET", "/servers/" .. server .. "/users/" .. user .. "%0A%1B/config?protocol=SFTP&sourceIp=999.1.1.1",
            headers({ Password = "x" }))
    end
end

function request()
    if mode == "malformed" then return malformed() end
    return well_formed()
end

local function violation(text)
    if first_violation == "" then first_violation = text end
end

function response(status, headers, body)
    answers = answers + 1
    if status >= 500 then
        server_errors = server_errors + 1
        violation("HTTP " .. status .. " " .. body:sub(1, 200))
    end
    if status ~= 200 then
        not_ok = not_ok + 1
        if mode ~= "malformed" then violation("HTTP " .. status .. " for a well-formed request: " .. body:sub(1, 200)) end
        return
    end
    if body:find('"Role"', 1, true) then
        allows = allows + 1
        local home = body:match('"HomeDirectory"%s*:%s*"([^"]*)"') or ""
        local user = home:match("^\\?/soak\\?/([%w%-]+)") or ""
        local legitimate = mode ~= "malformed" and (user:match("^key%-") or user:match("^pw%-") or user:match("^churn%-"))
        if user:match("^churn%-") then churn_allows = churn_allows + 1 end
        if not legitimate then
            wrong_allows = wrong_allows + 1
            violation("an allow that must be a denial (" .. mode .. "), home " .. home)
        end
    elseif body:match("^%s*{%s*}%s*$") then
        denials = denials + 1
    else
        violation("a 200 that is neither an answer nor {}: " .. body:sub(1, 200))
        not_ok = not_ok + 1
    end
end

function done(summary, latency, requests)
    local totals = { answers = 0, allows = 0, churn_allows = 0, denials = 0, not_ok = 0, server_errors = 0, wrong_allows = 0, expected_allows = 0 }
    local first, mode = "", threads[1]:get("mode")
    for _, thread in ipairs(threads) do
        for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
        if first == "" then first = thread:get("first_violation") end
    end
    local e = summary.errors
    -- One machine-readable line for soak.sh.
    io.write(string.format("SOAK-RESULT mode=%s answers=%d allows=%d churn_allows=%d expected_allows=%d denials=%d not_ok=%d server_errors=%d wrong_allows=%d socket_errors=%d timeouts=%d\n",
        mode, totals.answers, totals.allows, totals.churn_allows, totals.expected_allows, totals.denials, totals.not_ok, totals.server_errors,
        totals.wrong_allows, e.connect + e.read + e.write, e.timeout))
    if first ~= "" then io.write("SOAK-FIRST-VIOLATION " .. first .. "\n") end
end
