import { Inject, Injectable } from '@nestjs/common';
import { ApiError, validationFailed } from '@shop/contracts';
import { passwordProblems } from '../domain/password-policy';
import { ScryptPasswordHasher } from '../passwords/scrypt-password-hasher';
import { AccountCreator, type Account } from './account-creator';
import type { RegisterRequest } from './register.dto';

/** Self-registration: always the customer role. */
@Injectable()
export class RegisterUserHandler {
  constructor(
    @Inject(AccountCreator) private readonly accounts: AccountCreator,
    @Inject(ScryptPasswordHasher) private readonly hasher: ScryptPasswordHasher,
  ) {}

  async register(request: RegisterRequest): Promise<Account> {
    assertStrongPassword(request.password, request.email, request.name);
    const created = await this.accounts.createIfAbsent({
      email: request.email,
      name: request.name,
      passwordHash: await this.hasher.hash(request.password),
      roles: ['customer'],
    });
    if (!created) throw new ApiError('CONFLICT', 'An account with this email already exists');
    return created;
  }
}

/** 400 VALIDATION_FAILED naming every rule the password breaks. */
export function assertStrongPassword(password: string, email: string, name?: string): void {
  const problems = passwordProblems(password, { email, name });
  if (problems.length === 0) return;
  const { error } = validationFailed(
    problems.map((message) => ({ path: 'password', message })),
    `The password is too weak: it ${problems.join('; it ')}`,
  );
  throw new ApiError(error.code, error.message, error.details);
}
