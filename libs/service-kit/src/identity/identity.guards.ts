import {
  createParamDecorator,
  Inject,
  Injectable,
  mixin,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import { verifyIdentity, type CallerIdentity } from './identity-signature';

/** IDENTITY_HMAC_SECRET, provided by ServiceKitModule. */
export const IDENTITY_SECRET = Symbol('IDENTITY_SECRET');

type HttpRequest = { headers: Record<string, string | string[] | undefined> };

/** Identities proven by a guard, for @CurrentUser() of the same request. */
const provenIdentities = new WeakMap<object, CallerIdentity>();

/**
 * 401 UNAUTHORIZED unless the request carries a caller identity signed by
 * the gateway: `@UseGuards(AuthenticatedGuard)`.
 */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(@Inject(IDENTITY_SECRET) private readonly secret: string) {}

  canActivate(context: ExecutionContext): boolean {
    this.authenticate(context);
    return true;
  }

  protected authenticate(context: ExecutionContext): CallerIdentity {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const verification = verifyIdentity(request.headers, this.secret);
    if (!verification.ok) {
      throw new ApiError(
        'UNAUTHORIZED',
        verification.reason === 'missing' ? 'Authentication required' : 'The caller identity is not valid',
      );
    }
    provenIdentities.set(request, verification.identity);
    return verification.identity;
  }
}

/**
 * AuthenticatedGuard plus 403 FORBIDDEN unless the caller has one of these
 * roles: `@UseGuards(RolesGuard('admin'))`.
 */
export function RolesGuard(...roles: [string, ...string[]]): Type<CanActivate> {
  class RolesGuardMixin extends AuthenticatedGuard {
    override canActivate(context: ExecutionContext): boolean {
      const identity = this.authenticate(context);
      if (!roles.some((role) => identity.roles.includes(role))) {
        throw new ApiError('FORBIDDEN', `This needs the role ${roles.join(' or ')}`);
      }
      return true;
    }
  }
  return mixin(RolesGuardMixin);
}

/**
 * The caller proven by AuthenticatedGuard or RolesGuard on the same route:
 * `place(@CurrentUser() user: CallerIdentity)`. Without one of those guards it
 * throws (a 500): a route reading the caller must check it.
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const identity = provenIdentities.get(context.switchToHttp().getRequest<object>());
  if (!identity) {
    throw new Error('@CurrentUser() needs @UseGuards(AuthenticatedGuard) or RolesGuard(...) on the route');
  }
  return identity;
});
