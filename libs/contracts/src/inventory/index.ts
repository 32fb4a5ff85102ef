export * from './inventory-messages';
