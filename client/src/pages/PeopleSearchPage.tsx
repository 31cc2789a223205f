/**
 * Find a person: at least two identifying details (no fishing), an optional purpose, and a list
 * of hits showing only what the viewer may see. The last search is kept in memory (never in the
 * URL or browser storage) so coming back from a person page shows the same results.
 */
import { useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { isPurpose, peopleApi, PURPOSES, type SearchHit, type SearchParams, type SearchResponse } from '../api/people';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { formatDate, knownToText, listName, PURPOSE_LABELS, purposeLabel } from '../people/vocab';
import { Link } from '../router/Link';

interface SearchForm {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber: string;
  postcode: string;
  /** '' = the default for the user's role. */
  purpose: string;
}

const EMPTY_FORM: SearchForm = { givenName: '', familyName: '', dateOfBirth: '', nhsNumber: '', postcode: '', purpose: '' };
const DETAIL_KEYS = ['givenName', 'familyName', 'dateOfBirth', 'nhsNumber', 'postcode'] as const;

/** The last search of this tab, for this user only. */
let lastSearch: { userId: string; form: SearchForm; response: SearchResponse; purpose: string } | null = null;

/** What to send, or a message saying what is missing. */
function toParams(form: SearchForm): SearchParams | string {
  const values = Object.fromEntries(DETAIL_KEYS.map((key) => [key, form[key].trim()])) as Record<
    (typeof DETAIL_KEYS)[number],
    string
  >;
  const given = DETAIL_KEYS.filter((key) => values[key]).length;
  if (given < 2) return 'Enter at least two details to search, for example family name and date of birth.';
  const nhsNumber = values.nhsNumber.replace(/\s+/g, '');
  if (nhsNumber && !/^\d{10}$/.test(nhsNumber)) return 'NHS number must be 10 digits.';
  if (values.dateOfBirth && !/^\d{4}-\d{2}-\d{2}$/.test(values.dateOfBirth)) return 'Enter the date of birth as a full date.';
  return {
    givenName: values.givenName || undefined,
    familyName: values.familyName || undefined,
    dateOfBirth: values.dateOfBirth || undefined,
    nhsNumber: nhsNumber || undefined,
    postcode: values.postcode || undefined,
    purpose: isPurpose(form.purpose) ? form.purpose : undefined,
  };
}

export function PeopleSearchPage() {
  const user = useCurrentUser();
  const remembered = lastSearch?.userId === user.id ? lastSearch : null;
  const [form, setForm] = useState<SearchForm>(remembered?.form ?? EMPTY_FORM);
  const [response, setResponse] = useState<SearchResponse | null>(remembered?.response ?? null);
  const [searchedPurpose, setSearchedPurpose] = useState(remembered?.purpose ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstFieldRef = useRef<HTMLInputElement>(null);

  const set = (key: keyof SearchForm) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [key]: event.target.value }));

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const params = toParams(form);
    if (typeof params === 'string') {
      setError(params);
      firstFieldRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await peopleApi.search(params);
      setResponse(result);
      setSearchedPurpose(params.purpose ?? '');
      lastSearch = { userId: user.id, form, response: result, purpose: params.purpose ?? '' };
    } catch (err) {
      setError(errorMessage(err));
    }
    setBusy(false);
  }

  function clear() {
    setForm(EMPTY_FORM);
    setResponse(null);
    setError(null);
    lastSearch = null;
    firstFieldRef.current?.focus();
  }

  return (
    <>
      <PageHeading title="Find a person">
        Search across agencies. You see only what your agency may see; everything you search is recorded.
      </PageHeading>

      <section className="panel" aria-labelledby="search-title">
        <h2 id="search-title">Search</h2>
        <form className="form" onSubmit={search} noValidate aria-busy={busy} aria-describedby="search-note" aria-label="Find a person">
          <p className="hint" id="search-note">
            Enter at least two details.
          </p>
          <AlertRegion message={error} />
          <div className="field-grid">
            <TextField
              ref={firstFieldRef}
              label="Given name"
              name="givenName"
              autoComplete="off"
              value={form.givenName}
              onChange={set('givenName')}
            />
            <TextField label="Family name" name="familyName" autoComplete="off" value={form.familyName} onChange={set('familyName')} />
            <TextField label="Date of birth" name="dateOfBirth" type="date" autoComplete="off" value={form.dateOfBirth} onChange={set('dateOfBirth')} />
            <TextField
              label="NHS number"
              name="nhsNumber"
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              value={form.nhsNumber}
              onChange={set('nhsNumber')}
            />
            <TextField label="Postcode" name="postcode" autoComplete="off" maxLength={10} value={form.postcode} onChange={set('postcode')} />
          </div>
          <div className="field-narrow">
            <SelectField
              label="Purpose"
              name="purpose"
              hint="Why you are looking. It decides what may be shared."
              value={form.purpose}
              onChange={set('purpose')}
            >
              <option value="">Default for my role</option>
              {PURPOSES.map((purpose) => (
                <option key={purpose} value={purpose}>
                  {PURPOSE_LABELS[purpose]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="button-row">
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Searching…' : 'Search'}
            </button>
            <button type="button" className="button button-secondary" onClick={clear} disabled={busy}>
              Clear
            </button>
          </div>
        </form>
      </section>

      <p role="status" className="visually-hidden">
        {response && !busy ? announcement(response) : ''}
      </p>
      {response ? <SearchResults response={response} purpose={searchedPurpose} /> : null}
    </>
  );
}

/** What a screen reader hears when results arrive (worded apart from the visible text). */
function announcement(response: SearchResponse): string {
  const count = response.results.length;
  return count === 0 ? 'Search complete. No results.' : `Search complete. Results: ${count}.`;
}

function SearchResults({ response, purpose }: { response: SearchResponse; purpose: string }) {
  const count = response.results.length;
  return (
    <section className="panel" aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      {count === 0 ? (
        <div className="empty-state">
          <p className="empty-title">No one found. Check the details, or try another combination.</p>
        </div>
      ) : (
        <>
          <p className="muted">
            Showing {count} {count === 1 ? 'person' : 'people'} · purpose: {purposeLabel(response.purpose).toLowerCase()}
          </p>
          <ul className="result-list">
            {response.results.map((hit) => (
              <SearchResult key={hit.id} hit={hit} purpose={purpose} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function hitTitle(hit: SearchHit): string {
  const name = hit.identified ? listName(hit.demographics) : null;
  if (!name) return `${knownToText(hit.knownToAgencies)} (details withheld)`;
  const dob = hit.demographics?.dateOfBirth;
  return dob ? `${name} — born ${formatDate(dob)}` : name;
}

function SearchResult({ hit, purpose }: { hit: SearchHit; purpose: string }) {
  const to = `/people/${encodeURIComponent(hit.id)}${purpose ? `?purpose=${purpose}` : ''}`;
  const details = hit.identified ? hit.demographics : null;
  return (
    <li className="result">
      <Link to={to} className="result-link">
        {hitTitle(hit)}
      </Link>
      {details?.nhsNumber || details?.postcode ? (
        <p className="small result-meta">
          {[details.nhsNumber ? `NHS number ${details.nhsNumber}` : null, details.postcode ? `Postcode ${details.postcode}` : null]
            .filter(Boolean)
            .join(' · ')}
        </p>
      ) : null}
      <p className="small muted result-meta">
        {hit.visibleRecords} {hit.visibleRecords === 1 ? 'record' : 'records'} you can see · {hit.withheldRecords} withheld
      </p>
    </li>
  );
}
