import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@shop/shared/testing';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { request } from 'undici';
import { bootstrapBroker, freePort, runScript, SystemProcess } from './support/system-processes.fixture';

// /docs as a person uses it: Debian's headless Chromium (never a downloaded browser) opens
// Swagger UI on the gateway, authorizes with a username and password (the OAuth2 password
// flow, posted to /auth/token through the gateway) and runs "Try it out" on GET /api/v1/users/me
// against the real users service on a database of its own. Builds nothing (`npm test` does).
jest.setTimeout(90_000);

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const present = existsSync(CHROMIUM);
const name = 'authorizes with a password and tries GET /api/v1/users/me, through the gateway';

(present ? describe : describe.skip)('Swagger UI at /docs, in a browser', () => {
  const run = randomBytes(4).toString('hex');
  const processes: SystemProcess[] = [];
  const user = { username: `docs${run}`, password: 'Passw0rdDocs' };
  let db: TestDatabase;
  let vhost: TestVhost;
  let gateway: SystemProcess;
  let browser: Browser;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase(), createTestVhost()]);
    await bootstrapBroker(vhost.name);
    await runScript('services/users/dist/migrate.js', {
      DATABASE_ADMIN_URL: db.adminUrl,
      SHOP_DB_NAME: db.name,
    });
    const [usersPort, gatewayPort, adminPort, nothing] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const common = {
      JWT_ISSUER: 'http://docs-browser.e2e',
      JWT_AUDIENCE: 'shop',
      USERS_URL: `http://127.0.0.1:${usersPort}`,
    };
    const users = await SystemProcess.start('users', 'services/users/dist/main.js', usersPort, {
      ...common,
      DATABASE_URL: db.runtimeUrl('users'),
      RABBITMQ_URL: vhost.urlFor('users_svc', 'users_broker_dev_password'),
      REDIS_KEY_PREFIX: `test:docs-browser-users:${run}:`,
    });
    processes.push(users);
    // Only users is needed: the other services' documents are not opened here.
    const away = `http://127.0.0.1:${nothing}`;
    gateway = await SystemProcess.start('gateway', 'gateway/dist/main.js', gatewayPort, {
      ...common,
      ITEMS_URL: away,
      ORDERS_URL: away,
      INVENTORY_URL: away,
      ADMIN_PORT: String(adminPort),
      RABBITMQ_URL: vhost.urlFor('gateway_svc', 'gateway_broker_dev_password'),
      REDIS_KEY_PREFIX: `test:docs-browser-gateway:${run}:`,
    });
    processes.push(gateway);
    const created = await request(`${gateway.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, email: `${user.username}@example.com` }),
    });
    expect(created.statusCode).toBe(201);
    await created.body.dump();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(processes.map((process) => process.stop()));
    await Promise.all([db?.drop(), vhost?.delete()]);
  }, 30_000);

  it(name, async () => {
    const page = await browser.newPage();
    const tokenRequests: string[] = [];
    page.on('request', (sent) => {
      if (sent.url().endsWith('/auth/token')) tokenRequests.push(sent.url());
    });
    await page.goto(`${gateway.url}/docs`);
    await page.locator('.opblock-summary-path[data-path="/api/v1/users/me"]').waitFor();

    await page.locator('button.btn.authorize').first().click();
    await page.locator('#oauth_username').fill(user.username);
    await page.locator('#oauth_password').fill(user.password);
    await page.locator('.modal-ux .auth-btn-wrapper button.authorize').first().click();
    // Authorized: the OAuth2 section now offers Logout instead of Authorize.
    await page.locator('.modal-ux button.btn-done, .modal-ux button.logout').first().waitFor();
    await page.locator('.modal-ux button.btn-done').first().click();

    const operation = page.locator('.opblock-get', { has: page.locator('[data-path="/api/v1/users/me"]') });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    const body = await operation
      .locator('.live-responses-table .response-col_description pre')
      .first()
      .innerText();
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: `${process.env.DOCS_SCREENSHOT ?? '/tmp/docs-browser.png'}`,
      fullPage: false,
    });

    expect(tokenRequests).toEqual([`${gateway.url}/auth/token`]);
    expect((await status.innerText()).trim()).toBe('200');
    expect(JSON.parse(body)).toMatchObject({ username: user.username });
  });
});

if (!present)
  it.skip(`${name} (skipped: ${CHROMIUM} is missing: apt-get install -y chromium)`, () => undefined);
