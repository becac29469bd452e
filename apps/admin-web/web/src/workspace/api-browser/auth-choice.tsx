import type { BrowserAuth } from '../../api/api-browser.js';

/** Plain `api_key` or an Escher signature made by the management API (it holds no secret here). */
export function AuthChoice({
  value,
  onChange,
  refusedPlain,
}: {
  value: BrowserAuth;
  onChange: (auth: BrowserAuth) => void;
  /** Why a plain call will be refused, when it will be. */
  refusedPlain?: string | undefined;
}) {
  return (
    <fieldset className="auth-choice">
      <legend>Authentication</legend>
      <label>
        <input
          type="radio"
          name="auth"
          value="signature"
          checked={value === 'signature'}
          onChange={() => onChange('signature')}
        />{' '}
        Escher-signed (signed for you with today&apos;s derived key)
      </label>
      <label>
        <input
          type="radio"
          name="auth"
          value="api_key"
          checked={value === 'api_key'}
          onChange={() => onChange('api_key')}
        />{' '}
        Plain <code>api_key</code>
      </label>
      {value === 'api_key' && refusedPlain !== undefined ? (
        <p className="warning note" role="note">
          {refusedPlain}
        </p>
      ) : null}
    </fieldset>
  );
}
