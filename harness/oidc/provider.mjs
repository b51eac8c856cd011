// TEST FIXTURE: a local OpenID Connect provider standing in for the City's identity provider in the browser
// tests of the City's sign-in. It is the certified `oidc-provider` package with its development sign-in form
// (any name, any password: there are no real accounts here) and three test users. Never run it for real users.
//
//   node harness/oidc/provider.mjs      with OIDC_TEST_PORT, OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET and
//                                       OIDC_TEST_REDIRECT_URI set by the test that starts it (harness/oidc.py),
//                                       which also makes up the client secret afresh each time.
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_TEST_PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUri = process.env.OIDC_TEST_REDIRECT_URI;

// Test users: the group a test user is in (the app maps the group "equity-staff" to staff when told to).
// Anyone else who types a name into the form signs in too, in no group: the "unknown user" of the tests.
const GROUPS = {
  'staff@city.test': ['equity-staff'],
  'listed@city.test': [],
  'council@city.test': ['council'],
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_TEST_CLIENT_ID,
    client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  conformIdTokenClaims: false, // the e-mail and groups go into the ID token, as the City's provider is set up to
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id, groups: GROUPS[id] || [] };
      },
    };
  },
  // The app is the City's own (first-party) client: no consent screen, the grant is made at sign-in.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
});

// Streamlit asks for prompt=select_account, which this provider does not know: with one test user per browser,
// choosing an account is signing in, so it is asked as prompt=login.
provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && ctx.query.prompt === 'select_account') {
    ctx.query = { ...ctx.query, prompt: 'login' };
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => console.log(`test OIDC provider at ${issuer}`));
