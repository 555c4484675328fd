import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { providerUnavailable, ssoRefused } from "./errors";

/** What Quorum takes from a verified ID token. */
export interface IdTokenClaims {
  issuer: string;
  subject: string;
  email: string;
  name: string | null;
  groups: string[];
}

export interface IdTokenCheck {
  issuer: string;
  clientId: string;
  /** The issuer's signing keys (jose `createRemoteJWKSet` over its `jwks_uri`). */
  keys: JWTVerifyGetKey;
  /** The nonce this sign-in put into the authorization request. */
  nonce: string;
  groupsClaim: string;
  now: Date;
  clockToleranceSeconds: number;
}

/** Asymmetric algorithms only: an HS256 ID token would be signed with the client secret, which the extension does not hold. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * Verifies an ID token against the issuer's published keys (OpenID Connect Core 3.1.3.7): signature, `iss`, `aud`
 * (and `azp` when there are several audiences), `exp`/`iat` with a small clock tolerance, and `nonce`. Every refusal is
 * a 401 that says what was wrong, in words an IT admin can act on.
 */
export async function verifyIdToken(idToken: string, check: IdTokenCheck): Promise<IdTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, check.keys, {
      issuer: check.issuer,
      audience: check.clientId,
      algorithms: ALGORITHMS,
      currentDate: check.now,
      clockTolerance: check.clockToleranceSeconds,
      requiredClaims: ["sub", "exp", "iat"],
    }));
  } catch (e) {
    throw refusal(e, check);
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== check.clientId) {
    throw ssoRefused(
      "id_token_wrong_audience",
      `The ID token was issued to '${String(payload.azp)}', not to Quorum's client id '${check.clientId}'. Sign in again from the Quorum extension.`,
    );
  }
  if (payload.nonce !== check.nonce) {
    throw ssoRefused(
      "nonce_mismatch",
      "The ID token does not belong to this sign-in (its nonce differs). Sign in again from the Quorum extension.",
    );
  }
  const email = typeof payload.email === "string" ? payload.email.trim() : "";
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw ssoRefused(
      "id_token_invalid",
      "The ID token has no email address. Ask your IT admin to include the 'email' claim (scope 'email') for Quorum.",
    );
  }
  if (payload.email_verified === false) {
    throw ssoRefused(
      "id_token_invalid",
      `The identity provider has not verified the email address ${email}. Ask your IT admin to verify it.`,
    );
  }
  return {
    issuer: String(payload.iss),
    subject: String(payload.sub),
    email,
    name: typeof payload.name === "string" && payload.name.trim() !== "" ? payload.name.trim() : null,
    groups: groupsOf(payload[check.groupsClaim]),
  };
}

/** A groups claim as a list of names: an array of strings, or one string (some providers send a single group that way). */
function groupsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string");
  return [];
}

function refusal(e: unknown, check: IdTokenCheck) {
  if (e instanceof errors.JWTExpired) {
    return ssoRefused(
      "id_token_expired",
      `The ID token expired at ${new Date(Number(e.payload.exp) * 1000).toISOString()}. Sign in again; if this keeps happening, check the clocks of this server and the identity provider.`,
    );
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "iss") {
      return ssoRefused(
        "id_token_wrong_issuer",
        `The ID token was issued by '${String(e.payload.iss)}', not by the configured identity provider '${check.issuer}' (QUORUM_SSO_ISSUER).`,
      );
    }
    if (e.claim === "aud") {
      return ssoRefused(
        "id_token_wrong_audience",
        `The ID token is for another application (audience '${[e.payload.aud].flat().join("', '")}'), not for Quorum's client id '${check.clientId}' (QUORUM_SSO_CLIENT_ID).`,
      );
    }
    return ssoRefused(
      "id_token_invalid",
      `The ID token was refused: its '${e.claim}' claim ${e.reason === "missing" ? "is missing" : `is not valid (${e.message})`}.`,
    );
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return ssoRefused(
      "id_token_bad_signature",
      "The ID token's signature does not match the identity provider's keys: it was altered or not issued by that provider.",
    );
  }
  if (e instanceof errors.JWKSNoMatchingKey) {
    return ssoRefused(
      "id_token_bad_signature",
      "The ID token is signed with a key the identity provider does not publish (its JWKS): it was not issued by that provider.",
    );
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    return ssoRefused(
      "id_token_invalid",
      "The ID token uses a signing algorithm Quorum does not accept (none or a shared secret).",
    );
  }
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || e instanceof TypeError) {
    return providerUnavailable("The identity provider's signing keys could not be fetched", e);
  }
  return ssoRefused(
    "id_token_invalid",
    `The ID token is not a valid signed token: ${e instanceof Error ? e.message : String(e)}.`,
  );
}
