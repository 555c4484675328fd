/**
 * ID-token verification with real signed JWTs against a real JWKS served over loopback HTTP: what an identity provider
 * publishes at its jwks_uri, fetched by jose's remote key set exactly as the server does.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IdTokenCheck, verifyIdToken } from "../../../server/sso/id-token";
import { QuorumError } from "../../../shared/errors";

const ISSUER = "https://login.example.com/oauth2/default";
const CLIENT = "quorum-extension";
const NOW = new Date("2026-12-06T12:00:00Z");
const iat = Math.floor(NOW.getTime() / 1000);

let server: Server;
let check: IdTokenCheck;
let sign: (claims: JWTPayload, opts?: { key?: CryptoKey; kid?: string; alg?: string }) => Promise<string>;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const keys = createRemoteJWKSet(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`));
  check = {
    issuer: ISSUER,
    clientId: CLIENT,
    keys,
    nonce: "n-0123456789",
    groupsClaim: "groups",
    now: NOW,
    clockToleranceSeconds: 60,
  };
  sign = (claims, opts = {}) =>
    new SignJWT({
      nonce: "n-0123456789",
      email: "ana@example.com",
      email_verified: true,
      name: "Ana Rep",
      groups: ["Sales EMEA"],
      ...claims,
    })
      .setProtectedHeader({ alg: opts.alg ?? "RS256", kid: opts.kid ?? "k1" })
      .setIssuer((claims.iss as string) ?? ISSUER)
      .setAudience((claims.aud as string | string[]) ?? CLIENT)
      .setSubject("00u1")
      .setIssuedAt((claims.iat as number) ?? iat)
      .setExpirationTime((claims.exp as number) ?? iat + 300)
      .sign(opts.key ?? pair.privateKey);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function refusal(token: string, over: Partial<IdTokenCheck> = {}) {
  const e = await verifyIdToken(token, { ...check, ...over }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(QuorumError);
  const q = e as QuorumError;
  return { status: q.status, reason: (q.details as { reason: string }).reason, message: q.message };
}

describe("verifyIdToken", () => {
  it("accepts a token the issuer signed for Quorum and returns who it is", async () => {
    const claims = await verifyIdToken(await sign({}), check);
    expect(claims).toEqual({
      issuer: ISSUER,
      subject: "00u1",
      email: "ana@example.com",
      name: "Ana Rep",
      groups: ["Sales EMEA"],
    });
  });

  it("refuses a token from another issuer, naming both", async () => {
    const r = await refusal(await sign({ iss: "https://evil.example.net" }));
    expect(r).toMatchObject({ status: 401, reason: "id_token_wrong_issuer" });
    expect(r.message).toContain("https://evil.example.net");
    expect(r.message).toContain(ISSUER);
  });

  it("refuses a token issued for another application (audience)", async () => {
    const r = await refusal(await sign({ aud: "crm-portal" }));
    expect(r).toMatchObject({ status: 401, reason: "id_token_wrong_audience" });
    expect(r.message).toContain("crm-portal");
    expect(r.message).toContain(CLIENT);
  });

  it("refuses a token for several audiences whose authorised party is not Quorum", async () => {
    const r = await refusal(await sign({ aud: [CLIENT, "crm-portal"], azp: "crm-portal" }));
    expect(r.reason).toBe("id_token_wrong_audience");
  });

  it("refuses a tampered token (payload changed after signing)", async () => {
    const [h, p, s] = (await sign({})).split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    payload.groups = ["Quorum Admins"];
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    const r = await refusal(tampered);
    expect(r).toMatchObject({ status: 401, reason: "id_token_bad_signature" });
    expect(r.message).toMatch(/signature does not match/);
  });

  it("refuses a token signed with a key the issuer does not publish", async () => {
    expect((await refusal(await sign({}, { key: otherKey }))).reason).toBe("id_token_bad_signature");
    expect((await refusal(await sign({}, { key: otherKey, kid: "unknown" }))).reason).toBe("id_token_bad_signature");
  });

  it("refuses an expired token beyond the clock tolerance, and accepts one within it", async () => {
    const r = await refusal(await sign({ iat: iat - 3600, exp: iat - 61 }));
    expect(r).toMatchObject({ status: 401, reason: "id_token_expired" });
    expect(r.message).toContain(new Date((iat - 61) * 1000).toISOString());
    await expect(verifyIdToken(await sign({ iat: iat - 3600, exp: iat - 30 }), check)).resolves.toBeTruthy();
  });

  it("refuses a token from another sign-in (nonce)", async () => {
    expect((await refusal(await sign({ nonce: "n-someone-else" }))).reason).toBe("nonce_mismatch");
  });

  it("refuses unsigned and shared-secret tokens", async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: CLIENT, sub: "x", exp: iat + 60, iat })).toString("base64url")}.`;
    expect((await refusal(none)).status).toBe(401);
    const hs = await new SignJWT({ nonce: check.nonce, email: "a@b.c" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(ISSUER)
      .setAudience(CLIENT)
      .setSubject("x")
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .sign(new TextEncoder().encode("a shared secret of at least 32 bytes!!"));
    expect((await refusal(hs)).reason).toBe("id_token_invalid");
  });

  it("refuses a token without an email, or with an unverified one", async () => {
    expect((await refusal(await sign({ email: undefined }))).message).toMatch(/no email address/);
    expect((await refusal(await sign({ email_verified: false }))).message).toMatch(/not verified/);
  });

  it("reads a groups claim sent as one string, and a configurable claim name", async () => {
    expect((await verifyIdToken(await sign({ groups: "Sales EMEA" }), check)).groups).toEqual(["Sales EMEA"]);
    expect((await verifyIdToken(await sign({ roles: ["Quorum.Admin"] }), { ...check, groupsClaim: "roles" })).groups).toEqual([
      "Quorum.Admin",
    ]);
  });
});
