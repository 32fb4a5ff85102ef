import type { Stack } from './start-stack';

/** What `npm start` prints once the shop is up: where it is, the local admin, and a session to paste. */
export function welcomeText(stack: Stack, elapsedMs: number): string {
  const gateway = stack.urlOf('gateway');
  const lines = [
    '',
    `The shop is up in ${(elapsedMs / 1000).toFixed(0)} s.`,
    `  Gateway:      ${gateway}   (OpenAPI: ${gateway}/api/openapi.json)`,
    `  Instances:    ${stack.instances.map((i) => `${i.name} ${i.url}`).join(', ')}`,
    `  Kafka:        ${stack.kafkaBrokers.join(',')}`,
    `  Logs:         .shop/logs/<instance>.log`,
    `  Local admin:  admin@shop.local / Local-Dev-Only-2026 (local use only)`,
    '',
    'Try it (another terminal):',
    `  G=${gateway}`,
    `  curl -s -X POST $G/api/users/register -H 'content-type: application/json' \\`,
    `    -d '{"email":"ann@example.com","password":"Correct-Horse-42","name":"Ann"}'`,
    `  TOKEN=$(curl -s -X POST $G/api/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"ann@example.com","password":"Correct-Horse-42"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')`,
    `  PRODUCT=$(curl -s "$G/api/products?limit=1" | node -pe 'JSON.parse(require("fs").readFileSync(0)).items[0].id')`,
    `  curl -s -X POST $G/api/orders -H "authorization: Bearer $TOKEN" -H "idempotency-key: $(node -p 'crypto.randomUUID()')" \\`,
    `    -H 'content-type: application/json' -d "{\\"items\\":[{\\"productId\\":\\"$PRODUCT\\",\\"quantity\\":1}],\\"paymentMethod\\":{\\"token\\":\\"tok_ok\\"}}"`,
    `  curl -s $G/api/orders -H "authorization: Bearer $TOKEN"          # CONFIRMED within a second or two`,
    `  curl -s $G/api/notifications -H "authorization: Bearer $TOKEN"`,
    '',
    'Ctrl-C stops everything.',
  ];
  return lines.join('\n');
}

export function printWelcome(stack: Stack, elapsedMs: number): void {
  console.log(welcomeText(stack, elapsedMs));
}
