/** A labelled group of checkboxes choosing a subset of options (purposes, data categories, ...). */

interface Props<T extends string> {
  legend: string;
  options: readonly T[];
  labels: Record<T, string>;
  /** The chosen options (anything else in the list is ignored). */
  value: readonly string[];
  onChange: (next: T[]) => void;
}

export function CheckboxGroup<T extends string>({ legend, options, labels, value, onChange }: Props<T>) {
  return (
    <fieldset className="choice-group">
      <legend>{legend}</legend>
      <div className="choice-list choice-columns">
        {options.map((option) => (
          <label key={option} className="choice">
            <input type="checkbox" checked={value.includes(option)} onChange={(e) => onChange(options.filter((o) => (o === option ? e.target.checked : value.includes(o))))} />
            <span>{labels[option]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
