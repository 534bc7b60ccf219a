from fachaustausch.accounts.policy import Role, AccountStatus
from tests.factories import ApiClient, make_user

GOOD = {"email": "neu@leipzig.de", "password": "Lange Reise nach Weimar 2026", "display_name": "Neue Person", "authority": "leipzig"}

async def show(label, r):
    print(f"\n=== {label}: {r.status_code} {r.headers.get('content-type')} {r.text[:300]}")

async def test_probe(client: ApiClient) -> None:
    R = "/api/v1/auth/register"
    L = "/api/v1/auth/login"
    await show("empty body", await client.post(R, content=b"", headers={"content-type": "application/json"}))
    await show("null body", await client.post(R, json=None))
    await show("email nul", await client.post(L, json={"email": "a\x00b@x.de", "password": "x"}))
    await show("reg email nul", await client.post(R, json={**GOOD, "email": "a\x00b@x.de"}))
    await show("surrogate name", await client.post(R, content=b'{"email":"s@x.de","password":"Lange Reise nach Weimar 2026","display_name":"ab\\ud800cd","authority":"leipzig"}', headers={"content-type": "application/json"}))
    await show("surrogate pw", await client.post(L, content=b'{"email":"s@x.de","password":"ab\\ud800cd"}', headers={"content-type": "application/json"}))
    await show("surrogate email", await client.post(L, content=b'{"email":"s\\ud800@x.de","password":"abcd"}', headers={"content-type": "application/json"}))
    await show("pw nul", await client.post(R, json={**GOOD, "email": "pwnul@x.de", "password": "Lange Reise nach\x00Weimar 2026"}))
    u = await make_user(Role.moderator)
    await client.login(u)
    await show("land nul", await client.get("/api/v1/authorities?land=%00"))
    await show("cs nul", await client.get("/api/v1/instruments?cornerstone=%00"))
    await show("instr nul", await client.get("/api/v1/instruments/%00"))
    await show("instr surrogate", await client.get("/api/v1/instruments/%ED%A0%80"))
    await show("land badutf", await client.get("/api/v1/authorities?land=%FF"))
    await show("kind multi", await client.get("/api/v1/authorities?kind=model_site&kind=partner"))
    await show("kind empty", await client.get("/api/v1/authorities?kind="))
    await show("approve big", await client.post("/api/v1/moderation/registrations/3000000000/approve"))
    await show("reject nul", await client.post("/api/v1/moderation/registrations/1/reject", json={"reason": "a\x00b"}))
    await show("reject badjson", await client.post("/api/v1/moderation/registrations/1/reject", content=b"[", headers={"content-type": "application/json"}))
    await show("reject array", await client.post("/api/v1/moderation/registrations/1/reject", json=[]))
    await show("reject extra", await client.post("/api/v1/moderation/registrations/1/reject", json={"x": 1}))
    await show("tokens abc get", await client.get("/api/v1/tokens/abc"))
    await show("token name long", await client.post("/api/v1/tokens", json={"name": "x" * 101}))
    await show("token name empty", await client.post("/api/v1/tokens", json={"name": "   "}))
    await show("token name surrogate", await client.post("/api/v1/tokens", content=b'{"name":"a\\udc00"}', headers={"content-type": "application/json"}))
    await show("form csrf", await client.post("/profil/token", data={"name": "x"}))
