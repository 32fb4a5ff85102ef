export * from './items';
export * from './product';
export * from './stock';
export * from './reservation';
