// k6 load for the compose `load` profile: every request goes through the gateway.
// setup(): the seeded admin creates a product and stocks it; each virtual user
// registers a customer, logs in and places orders (Idempotency-Key per order),
// then reads the order back. Bounded by LOAD_VUS and LOAD_DURATION.
import http from 'k6/http';
import { check, sleep } from 'k6';

const GATEWAY = __ENV.GATEWAY_URL || 'http://gateway:8080';
const JSON_HEADERS = { 'content-type': 'application/json' };

export const options = {
  vus: Number(__ENV.LOAD_VUS || 5),
  duration: __ENV.LOAD_DURATION || '60s',
  thresholds: { http_req_failed: ['rate<0.05'] },
};

function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function login(email, password) {
  const res = http.post(`${GATEWAY}/api/auth/login`, JSON.stringify({ email, password }), {
    headers: JSON_HEADERS,
  });
  check(res, { 'login 200': (r) => r.status === 200 });
  return { ...JSON_HEADERS, authorization: `Bearer ${res.json('accessToken')}` };
}

export function setup() {
  const admin = login(__ENV.ADMIN_EMAIL, __ENV.ADMIN_PASSWORD);
  const sku = `LOAD-${uuid().slice(0, 8).toUpperCase()}`;
  const created = http.post(
    `${GATEWAY}/api/products`,
    JSON.stringify({ sku, name: `Load product ${sku}`, priceCents: 1299, currency: 'EUR' }),
    { headers: admin },
  );
  check(created, { 'product 201': (r) => r.status === 201 });
  const productId = created.json('id');
  // Inventory learns of the product from catalog.events; restock once it knows it.
  for (let i = 0; i < 30; i++) {
    const restock = http.post(
      `${GATEWAY}/api/inventory/${productId}/restock`,
      JSON.stringify({ quantity: 1000000 }),
      { headers: { ...admin, 'idempotency-key': uuid() } },
    );
    if (restock.status < 300) break;
    sleep(1);
  }
  return { productId };
}

export default function (data) {
  const email = `load-${uuid()}@example.com`;
  const password = 'load-test-password-123';
  http.post(`${GATEWAY}/api/users/register`, JSON.stringify({ email, password, name: 'Load Tester' }), {
    headers: JSON_HEADERS,
  });
  const customer = login(email, password);
  for (let i = 0; i < 5; i++) {
    http.get(`${GATEWAY}/api/products?limit=10`);
    const placed = http.post(
      `${GATEWAY}/api/orders`,
      JSON.stringify({
        items: [{ productId: data.productId, quantity: 1 }],
        paymentMethod: { token: 'tok_ok' },
      }),
      { headers: { ...customer, 'idempotency-key': uuid() } },
    );
    check(placed, { 'order 202': (r) => r.status === 202 });
    if (placed.status === 202)
      http.get(`${GATEWAY}/api/orders/${placed.json('orderId')}`, { headers: customer });
    sleep(0.5);
  }
}
