import { MIN_PASSWORD_LENGTH, passwordProblems } from './password-policy';

const account = { email: 'ann.lee@example.com', name: 'Ann Lee' };

describe('password policy', () => {
  it('accepts a long password unrelated to the account', () => {
    expect(passwordProblems('correct horse battery', account)).toEqual([]);
  });

  it(`requires at least ${MIN_PASSWORD_LENGTH} characters, counted as characters not bytes`, () => {
    expect(passwordProblems('Sh0rt!pw', account)).toEqual([
      `must be at least ${MIN_PASSWORD_LENGTH} characters long`,
    ]);
    expect(passwordProblems('ßßßßabcdef', account)).toEqual([]);
    expect(passwordProblems('😀😀😀😀😀abcd', account)).toContain(
      `must be at least ${MIN_PASSWORD_LENGTH} characters long`,
    );
  });

  it('refuses the email, or a password containing its local part, in any case', () => {
    expect(passwordProblems('ann.lee@example.com', account)).toContain('must not contain your email address');
    expect(passwordProblems('ANN.LEE-is-great', account)).toContain('must not contain your email address');
  });

  it('refuses a password containing the name', () => {
    expect(passwordProblems('xx ann lee xx', account)).toContain('must not contain your name');
  });

  it('refuses very common passwords and few distinct characters', () => {
    expect(passwordProblems('Password123', account)).toEqual(['is one of the most common passwords']);
    expect(passwordProblems('aaaaaaaaaaaa', account)).toEqual(['must use at least 4 different characters']);
  });

  it('lists every broken rule at once', () => {
    expect(passwordProblems('aaa', account)).toEqual([
      `must be at least ${MIN_PASSWORD_LENGTH} characters long`,
      'must use at least 4 different characters',
    ]);
  });
});
