'use client';

import clsx from 'clsx';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import type { PolicyFieldError } from '@/lib/cleanup/types';
import { EMPTY_RULE, fieldsFromPolicy, parseObject, textWithFields, type PolicyFields, type RuleFields } from './policy-form';

export interface PolicyEditorProps {
  text: string;
  onChange: (text: string) => void;
  errors: readonly PolicyFieldError[];
  disabled?: boolean;
}

const inputClass =
  'w-full rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900 disabled:opacity-60';

function FieldError({ errors, field }: { errors: readonly PolicyFieldError[]; field: string }) {
  const mine = errors.filter((e) => e.field === field || e.field.startsWith(`${field}[`) || e.field.startsWith(`${field}.`));
  if (mine.length === 0) return null;
  return (
    <ul className="mt-1 text-xs text-red-700 dark:text-red-400">
      {mine.map((e) => (
        <li key={`${e.field}:${e.message}`}>
          <code>{e.field}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

/** The policy as JSON (the source of truth) with a form for its common fields; problems shown by field. */
export function PolicyEditor({ text, onChange, errors, disabled }: PolicyEditorProps) {
  const id = useId();
  const object = parseObject(text);
  const fields = object ? fieldsFromPolicy(object) : null;
  const update = (next: PolicyFields) => onChange(textWithFields(text, next));
  const setRule = (index: number, patch: Partial<RuleFields>) => {
    if (!fields) return;
    update({ ...fields, rules: fields.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
  };

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <fieldset disabled={disabled || !fields} className="flex flex-col gap-3" aria-label="Policy form">
        {!fields ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
            Fix the JSON to use the form.
          </p>
        ) : null}
        <div>
          <label htmlFor={`${id}-repos`} className="text-sm font-medium">
            Repositories
          </label>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            One name or pattern per line: <code>*</code> stays inside one path component, <code>**</code> crosses <code>/</code>.
          </p>
          <textarea
            id={`${id}-repos`}
            rows={2}
            className={inputClass}
            value={fields?.repositories ?? ''}
            onChange={(e) => fields && update({ ...fields, repositories: e.target.value })}
          />
          <FieldError errors={errors} field="repositories" />
        </div>
        <div className="flex flex-col gap-2">
          <span className="text-sm font-medium">Rules</span>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Tags matching the regular expression, newest first: the first <em>keep newest</em> stay; of the rest, those older
            than <em>older than days</em> (when set) are deleted.
          </p>
          {(fields?.rules ?? []).map((rule, index) => (
            <div key={index} data-testid="rule-row" className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
              <div className="grid grid-cols-[1fr_7rem_7rem_auto] items-end gap-2">
                <label className="text-xs">
                  Match (regex)
                  <input className={inputClass} value={rule.match} onChange={(e) => setRule(index, { match: e.target.value })} aria-label={`Rule ${index + 1} match`} />
                </label>
                <label className="text-xs">
                  Keep newest
                  <input
                    className={inputClass}
                    inputMode="numeric"
                    value={rule.keepNewest}
                    onChange={(e) => setRule(index, { keepNewest: e.target.value })}
                    aria-label={`Rule ${index + 1} keep newest`}
                  />
                </label>
                <label className="text-xs">
                  Older than days
                  <input
                    className={inputClass}
                    inputMode="decimal"
                    value={rule.olderThanDays}
                    onChange={(e) => setRule(index, { olderThanDays: e.target.value })}
                    aria-label={`Rule ${index + 1} older than days`}
                  />
                </label>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove rule ${index + 1}`}
                  onClick={() => fields && update({ ...fields, rules: fields.rules.filter((_, i) => i !== index) })}
                >
                  Remove
                </Button>
              </div>
              <FieldError errors={errors} field={`rules[${index}]`} />
            </div>
          ))}
          <div>
            <Button size="sm" onClick={() => fields && update({ ...fields, rules: [...fields.rules, { ...EMPTY_RULE }] })}>
              Add rule
            </Button>
          </div>
          {errors.some((e) => e.field === 'rules') ? <FieldError errors={errors.filter((e) => e.field === 'rules')} field="rules" /> : null}
        </div>
        <div>
          <label htmlFor={`${id}-protect`} className="text-sm font-medium">
            Protect
          </label>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">One regular expression per line; a matching tag is never deleted.</p>
          <textarea
            id={`${id}-protect`}
            rows={3}
            className={inputClass}
            value={fields?.protect ?? ''}
            onChange={(e) => fields && update({ ...fields, protect: e.target.value })}
          />
          <FieldError errors={errors} field="protect" />
        </div>
      </fieldset>
      <div className="flex flex-col">
        <label htmlFor={`${id}-json`} className="text-sm font-medium">
          Policy (JSON)
        </label>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          The same policy the API and <code>npm run cleanup</code> take; see docs/cleanup.md.
        </p>
        <textarea
          id={`${id}-json`}
          data-testid="policy-json"
          spellCheck={false}
          disabled={disabled}
          rows={18}
          className={clsx(inputClass, 'grow text-xs', errors.length > 0 && 'border-red-400 dark:border-red-700')}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={errors.length > 0}
          aria-describedby={`${id}-errors`}
        />
        <ul id={`${id}-errors`} data-testid="policy-errors" className="mt-1 text-xs text-red-700 dark:text-red-400" aria-live="polite">
          {errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field || 'policy'}</code> {e.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
