import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  /** Help shown under the label, tied to the select for screen readers. */
  hint?: string;
  ref?: Ref<HTMLSelectElement>;
  /** The `<option>`s. */
  children: ReactNode;
}

/** A labelled select with an optional hint (the TextField pattern). */
export function SelectField({ label, hint, className, ref, children, ...select }: SelectFieldProps) {
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
      <select ref={ref} id={id} aria-describedby={hintId} className={`input ${className ?? ''}`.trim()} {...select}>
        {children}
      </select>
    </div>
  );
}
