import { planStack } from './stack-plan';
import { startWaves } from './start-stack';

describe('planStack', () => {
  it('runs every service, two instances of order, inventory and payment, the gateway last', () => {
    const plan = planStack();
    expect(plan.map((i) => i.name)).toEqual([
      'user-1',
      'catalog-1',
      'inventory-1',
      'inventory-2',
      'payment-1',
      'payment-2',
      'order-1',
      'order-2',
      'notification-1',
      'gateway-1',
    ]);
    expect(plan.find((i) => i.name === 'order-2')!.port).toBe(3103);
    expect(plan.find((i) => i.name === 'gateway-1')!.port).toBe(8080);
  });

  it('takes a subset, instance counts and free ports', () => {
    const plan = planStack({
      services: ['order', 'payment'],
      instances: { order: 3, payment: 0 },
      ports: 'free',
    });
    expect(plan.map((i) => [i.name, i.port])).toEqual([
      ['order-1', 0],
      ['order-2', 0],
      ['order-3', 0],
    ]);
    expect(() => planStack({ instances: { user: -1 } })).toThrow(/user/);
  });
});

describe('startWaves', () => {
  it('starts the n-th instances of all services together, the gateway alone at the end', () => {
    const waves = startWaves(planStack()).map((wave) => wave.map((i) => i.name));
    expect(waves).toEqual([
      ['user-1', 'catalog-1', 'inventory-1', 'payment-1', 'order-1', 'notification-1'],
      ['inventory-2', 'payment-2', 'order-2'],
      ['gateway-1'],
    ]);
  });
});
