// The identity headers are a contract between the gateway and the services (and the tools that sign
// as an operator, like the local stack's seeding): defined in @shop/contracts, re-exported here.
export {
  IDENTITY_HEADERS,
  MIN_IDENTITY_SECRET_LENGTH,
  assertIdentitySecret,
  signIdentity,
  verifyIdentity,
  type CallerIdentity,
  type IdentityHeaderName,
  type IdentityVerification,
  type SignedIdentityHeaders,
} from '@shop/contracts';
