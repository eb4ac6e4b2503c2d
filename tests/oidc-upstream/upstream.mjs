// A test upstream OpenID Provider: panva's oidc-provider (OpenID Certified), shaped like Microsoft
// Entra ID v2 ("entra") or Keycloak ("keycloak"), on 127.0.0.1 only.
//
//   node upstream.mjs --port P --profile entra|keycloak --config FILE.json [--parent-pid PID]
//
// --port 0 picks a free port. When listening it prints one line: "upstream listening <issuer>".
// It exits when the parent process (--parent-pid) is gone or its standard input closes.
//
// Config file (JSON):
//   { "issuerPath": "/<tid>/v2.0",             optional; default "/<tid>/v2.0" (entra), "/realms/test" (keycloak)
//     "tenantId": "…",                          entra: the tid claim
//     "clients": [{ "clientId", "clientSecret", "redirectUris": ["http://127.0.0.1:…/…"] }],
//     "users": [{ "address", "subject", "name", "claims": { … } }] }
//
// Sign-in has no page: the interaction completes login and consent for the user whose address is
// the login_hint (an unknown hint is refused with access_denied). Claims per profile:
//   entra:    ID token sub (pairwise-looking: the configured subject), oid, tid, preferred_username,
//             name, email (no email_verified); userinfo sub, name, email.
//   keycloak: sub, email, email_verified (true), name, preferred_username in ID token and userinfo.
// A user's "claims" override the profile's: a value replaces, null removes; a key "id_token:X" or
// "userinfo:X" applies to that one place only (e.g. "userinfo:sub" for a conflicting subject).
//
// Control API, same port, outside the issuer path (JSON in, JSON out):
//   POST /__control/cutoff  { "user": address|null, "code": "50057", "at": "token"|"authorization" }
//   POST /__control/restore { "user": address|null }
//   POST /__control/outage  { "mode": "none"|"503"|"reset"|"hang" }
//   POST /__control/claims  { "user": address, "claims": { … } }   replaces the user's control overrides
//   GET  /__control/logins  → ["alice@…", …]  addresses whose authorization code was redeemed, in order

import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    profile: { type: 'string' },
    config: { type: 'string' },
    'parent-pid': { type: 'string' },
  },
});

if (!['entra', 'keycloak'].includes(args.profile) || !args.config) {
  console.error('usage: node upstream.mjs --port P --profile entra|keycloak --config FILE.json [--parent-pid PID]');
  process.exit(2);
}

const profile = args.profile;
const config = JSON.parse(readFileSync(args.config, 'utf8'));
const tenantId = config.tenantId ?? '00000000-0000-0000-0000-000000000000';
const issuerPath = trimSlash(config.issuerPath ?? (profile === 'entra' ? `/${tenantId}/v2.0` : '/realms/test'));

const users = new Map((config.users ?? []).map((u) => [u.address.toLowerCase(), {
  address: u.address,
  subject: u.subject,
  name: u.name,
  claims: u.claims ?? {},
}]));
const bySubject = (sub) => [...users.values()].find((u) => u.subject === sub);
const byAddress = (address) => (address ? users.get(String(address).toLowerCase()) : undefined);

// Test state, changed through /__control.
const cutoffs = new Map(); // address (lower case) or '*' → { code, at }
const overrides = new Map(); // address (lower case) → claims
const logins = [];
let outage = 'none';

// Entra-style descriptions for the AADSTS codes the tests use.
const aadsts = {
  50034: 'The user account does not exist in this directory.',
  50053: 'The account is locked.',
  50057: 'The user account is disabled.',
  53003: 'Access has been blocked by Conditional Access policies.',
};
const describe = (code) => `AADSTS${code}: ${aadsts[code] ?? 'The user is not allowed to sign in.'} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`;

function cutoffFor(user, at) {
  return [cutoffs.get(user.address.toLowerCase()), cutoffs.get('*')].find((c) => c?.at === at);
}

function trimSlash(p) {
  const s = String(p || '');
  const withLead = s.startsWith('/') ? s : `/${s}`;
  return withLead === '/' ? '' : withLead.replace(/\/+$/, '');
}

// Entra's oid is a GUID; derived from the address when the config gives none (stable across runs).
function guidFrom(text) {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function claimsFor(user, use) {
  let base;
  if (profile === 'entra') {
    base = use === 'userinfo'
      ? { sub: user.subject, name: user.name, email: user.address }
      : {
        sub: user.subject,
        oid: guidFrom(`${tenantId}/${user.address.toLowerCase()}`),
        tid: tenantId,
        preferred_username: user.address,
        name: user.name,
        email: user.address,
        ver: '2.0',
      };
  } else {
    base = {
      sub: user.subject, email: user.address, email_verified: true, name: user.name, preferred_username: user.address,
    };
  }

  const out = { ...base };
  for (const source of [user.claims, overrides.get(user.address.toLowerCase()) ?? {}]) {
    for (const [key, value] of Object.entries(source)) {
      const [place, name] = key.includes(':') ? key.split(':', 2) : [use, key];
      if (place !== use) continue;
      if (value === null) delete out[name];
      else out[name] = value;
    }
  }
  return out;
}

// Every claim a test may set; oidc-provider only releases claims it was told about.
const releasable = ['oid', 'tid', 'upn', 'ver', 'preferred_username', 'name', 'given_name', 'family_name', 'groups', 'roles', 'idp', 'email', 'email_verified'];
const extra = new Set((config.users ?? []).flatMap((u) => Object.keys(u.claims ?? {}).map((k) => (k.includes(':') ? k.split(':', 2)[1] : k))));
const profileClaims = [...new Set([...releasable, ...extra])].filter((c) => c !== 'sub');

// One interaction per authorization request: never resume a session silently, so every sign-in
// reaches the interaction (login_hint, cut-offs) as a fresh one.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check('every_request', 'each request signs in afresh', (ctx) => (
  ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT)));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(args.port), '127.0.0.1', resolve);
});
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}${issuerPath}`;

const provider = new Provider(issuer, {
  clients: (config.clients ?? []).map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: c.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: c.authMethod ?? 'client_secret_basic',
  })),
  // The tests' clients may authenticate either way OpenIddict does.
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  jwks: { keys: [signing] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: profileClaims },
  // Claims of the granted scopes go into the ID token too, as Entra and Keycloak put them there.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: true },
    rpInitiatedLogout: { enabled: false },
  },
  interactions: {
    policy,
    url: (ctx, interaction) => `${issuerPath}/interaction/${interaction.uid}`,
  },
  findAccount: async (ctx, sub) => {
    const user = bySubject(sub);
    if (!user) return undefined;
    // oidc-provider answers with the account id as sub; a "userinfo:sub" override changes it there.
    const accountId = ctx?.oidc?.route === 'userinfo' ? String(claimsFor(user, 'userinfo').sub ?? sub) : sub;
    return { accountId, claims: async (use) => claimsFor(user, use) };
  },
  async loadExistingGrant(ctx) {
    const id = ctx.oidc.result?.consent?.grantId;
    return id ? ctx.oidc.provider.Grant.find(id) : undefined;
  },
  renderError: async (ctx, out) => {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = `${out.error}: ${out.error_description ?? ''}`;
  },
  ttl: {
    AuthorizationCode: 120, AccessToken: 600, IdToken: 600, Interaction: 300, Session: 600, Grant: 600, RefreshToken: 3600,
  },
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));

// Token endpoint: the Entra-shaped back-channel refusal for a cut-off user, and the login record.
provider.use(async (ctx, next) => {
  if (ctx.method !== 'POST' || ctx.path !== '/token') {
    await next();
    return;
  }

  const raw = await readBody(ctx.req);
  ctx.req.body = raw;
  const params = new URLSearchParams(raw);
  let token;
  if (params.get('grant_type') === 'authorization_code' && params.get('code')) {
    token = await provider.AuthorizationCode.find(params.get('code'), { ignoreExpiration: true });
  } else if (params.get('grant_type') === 'refresh_token' && params.get('refresh_token')) {
    token = await provider.RefreshToken.find(params.get('refresh_token'), { ignoreExpiration: true });
  }
  const user = token && bySubject(token.accountId);
  const cut = user && cutoffFor(user, 'token');
  if (cut) {
    ctx.status = 400;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: 'invalid_grant', error_description: describe(cut.code), error_codes: [Number(cut.code)] };
    return;
  }

  await next();
  if (ctx.status === 200 && user && params.get('grant_type') === 'authorization_code') {
    logins.push(user.address);
  }
});

server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname.startsWith('/__control/')) {
      await control(req, res, url.pathname.slice('/__control/'.length));
      return;
    }

    if (outage === 'reset') {
      (req.socket.resetAndDestroy ?? req.socket.destroy).call(req.socket);
      return;
    }
    if (outage === 'hang') {
      return; // never answers; the socket stays open until the client gives up
    }
    if (outage === '503') {
      send(res, 503, 'Service Unavailable', { 'retry-after': '30' });
      return;
    }

    if (issuerPath && !(url.pathname === issuerPath || url.pathname.startsWith(`${issuerPath}/`))) {
      send(res, 404, 'not found');
      return;
    }

    req.originalUrl = req.url;
    req.url = req.url.slice(issuerPath.length) || '/';
    if (req.url.startsWith('?')) req.url = `/${req.url}`;

    if (req.method === 'GET' && /^\/interaction\/[^/]+$/.test(url.pathname.slice(issuerPath.length))) {
      await interaction(req, res);
      return;
    }

    provider.callback()(req, res);
  } catch (err) {
    console.error('request failed', err);
    if (!res.headersSent) send(res, 500, String(err));
  }
});

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    const user = byAddress(params.login_hint);
    if (!user) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: describe(50034) }, { mergeWithLastSubmission: false });
      return;
    }
    const cut = cutoffFor(user, 'authorization');
    if (cut) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: describe(cut.code) }, { mergeWithLastSubmission: false });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.subject, remember: false } }, { mergeWithLastSubmission: false });
    return;
  }

  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    if (prompt.details.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }

  await provider.interactionFinished(req, res, { error: 'access_denied', error_description: `unexpected prompt ${prompt.name}` }, { mergeWithLastSubmission: false });
}

async function control(req, res, action) {
  if (req.method === 'GET' && action === 'logins') {
    sendJson(res, 200, logins);
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'POST a JSON body' });
    return;
  }

  let body;
  try {
    const raw = await readBody(req);
    body = raw ? JSON.parse(raw) : {};
  } catch {
    sendJson(res, 400, { error: 'body is not JSON' });
    return;
  }

  const key = body.user == null ? '*' : String(body.user).toLowerCase();
  switch (action) {
    case 'cutoff': {
      const at = body.at ?? 'token';
      if (!['token', 'authorization'].includes(at)) {
        sendJson(res, 400, { error: 'at must be "token" or "authorization"' });
        return;
      }
      cutoffs.set(key, { code: String(body.code ?? '50057'), at });
      break;
    }
    case 'restore':
      if (key === '*') cutoffs.clear();
      else cutoffs.delete(key);
      break;
    case 'outage':
      if (!['none', '503', 'reset', 'hang'].includes(body.mode)) {
        sendJson(res, 400, { error: 'mode must be "none", "503", "reset" or "hang"' });
        return;
      }
      outage = body.mode;
      break;
    case 'claims':
      if (key === '*' || !byAddress(body.user)) {
        sendJson(res, 400, { error: `unknown user ${body.user}` });
        return;
      }
      overrides.set(key, body.claims ?? {});
      break;
    default:
      sendJson(res, 404, { error: `unknown control ${action}` });
      return;
  }
  sendJson(res, 200, { ok: true });
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

// Never outlive the test process.
const parent = args['parent-pid'] ? Number(args['parent-pid']) : undefined;
if (parent) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}
if (parent) {
  // The harness keeps our standard input open; it closes when the test process ends, however it ends.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));

console.log(`upstream listening ${issuer}`);
