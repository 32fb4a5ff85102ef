export * from './payment';
export * from './authorize';
export * from './capture';
export * from './void';
export * from './refund';
export * from './ledger-totals';
