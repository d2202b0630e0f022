import { PROVIDER_LABEL, ProviderRequestError } from './errors.js';
import type { ProviderName } from './errors.js';

/**
 * One login's time with the provider. A login makes several requests in a row (token, JWKS, profile); each gets at most
 * the per-request `timeout` and never more than what is left of the login's budget, so the whole login waits on the
 * provider no longer than `loginTimeout`, whatever the mix of slow and hung answers.
 */
export class LoginBudget {
  private readonly endsAt: number;

  constructor(
    private readonly provider: ProviderName,
    private readonly perRequest: number,
    total: number,
  ) {
    this.endsAt = Date.now() + total;
  }

  /** The deadline for the next request: the per-request timeout or what is left, whichever is shorter (at least 1 ms). */
  nextTimeout(): number {
    return Math.max(1, Math.min(this.perRequest, this.endsAt - Date.now()));
  }

  /**
   * Settles with `work`, or rejects when the budget runs out first (for steps whose requests are shared between logins,
   * such as a JWKS fetch): with `onTimeout()`, or a `TIMEOUT` {@link ProviderRequestError} naming `step`.
   */
  race<T>(work: Promise<T>, step: string, onTimeout?: () => Error): Promise<T> {
    const left = this.endsAt - Date.now();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(onTimeout?.() ?? new ProviderRequestError(`${PROVIDER_LABEL[this.provider]} login ran out of time during ${step}`, {
          provider: this.provider, code: 'TIMEOUT', endpoint: step,
        }));
      }, Math.max(1, left));
      work.then(
        (value) => { clearTimeout(timer); resolve(value); },
        (error: unknown) => { clearTimeout(timer); reject(error); },
      );
    });
  }
}
