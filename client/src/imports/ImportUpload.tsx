/** Choose a CSV file and upload it; the server answers at once and imports in the background. */
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { IMPORT_MAX_BYTES, importsApi, type ImportSummary } from '../api/imports';
import { AlertRegion } from '../components/Banner';
import { formatCount } from './format';

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${formatCount(Math.ceil(bytes / 1024))} KB`;
}

function uploadError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 413) return 'The file is too large: the limit is 20 MB. Split it into smaller files and upload each.';
    if (err.code === 'empty_file') return 'The file is empty. Choose a CSV file with a header row and at least one record.';
  }
  return errorMessage(err);
}

export function ImportUpload({ onUploaded }: { onUploaded: (imp: ImportSummary) => void }) {
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const input = fileRef.current;
    const file = input?.files?.[0];
    const fail = (message: string) => {
      setError(message);
      setStatus('');
      input?.focus();
    };
    if (!file) return fail('Choose a CSV file to upload.');
    if (file.size === 0) return fail('The file is empty. Choose a CSV file with a header row and at least one record.');
    if (file.size > IMPORT_MAX_BYTES) {
      return fail(`The file is ${sizeText(file.size)}; the limit is 20 MB. Split it into smaller files and upload each.`);
    }

    setBusy(true);
    setError(null);
    setStatus(`Uploading ${file.name}…`);
    try {
      const text = await file.text();
      if (text.trim() === '') {
        setBusy(false);
        return fail('The file is empty. Choose a CSV file with a header row and at least one record.');
      }
      const { import: imp } = await importsApi.upload(file.name, text);
      setStatus(`${file.name} uploaded. Importing now.`);
      if (input) input.value = '';
      onUploaded(imp);
    } catch (err) {
      fail(uploadError(err));
    }
    setBusy(false);
  }

  return (
    <form className="form" aria-label="Upload records" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      <div className="field">
        <label htmlFor={id}>CSV file</label>
        <p className="hint" id={`${id}-hint`}>
          One contact per row, with a header row. Up to 20 MB.
        </p>
        <input
          ref={fileRef}
          id={id}
          name="file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby={`${id}-hint`}
          className="input input-file"
          onChange={() => {
            setError(null);
            setStatus('');
          }}
        />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      <p role="status" className="small muted upload-status">
        {status}
      </p>
    </form>
  );
}
