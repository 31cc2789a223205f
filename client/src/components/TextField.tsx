import { useId, type InputHTMLAttributes, type Ref } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Help shown under the label, tied to the input for screen readers. */
  hint?: string;
  /** The input element, e.g. to move focus back to it after an error. */
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text input with an optional hint. */
export function TextField({ label, hint, className, ref, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input ref={ref} id={id} aria-describedby={hintId} className={`input ${className ?? ''}`.trim()} {...input} />
    </div>
  );
}
