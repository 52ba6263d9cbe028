import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, ApiError, errorText } from '../api/client.js';
import { i18next } from '../i18n/i18n.js';
import { REGISTRY_PATHS } from './excel-bar.js';

/**
 * Create, replace and delete for one registry collection. The body is checked against core's
 * zod *Input schema first (the same one the server uses), and either side's issues land on
 * the form field they name.
 */
export function useRegistryWrites<S extends z.ZodType>(path: string, schema: S) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => {
    for (const p of REGISTRY_PATHS) void queryClient.invalidateQueries({ queryKey: [p] });
  };

  const save = useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: z.output<S> }) =>
      id === null ? api(path, { method: 'POST', body }) : api(`${path}/${id}`, { method: 'PUT', body }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`${path}/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void message.success(t('common.deleted'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });

  /** Validates the form's values, saves them, and reports problems on the fields; true when saved. */
  async function submit(form: FormInstance, id: number | null, values: unknown): Promise<boolean> {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(
        form,
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
      return false;
    }
    try {
      await save.mutateAsync({ id, body: parsed.data });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) setFieldErrors(form, e.issues);
      void message.error(errorText(e));
      return false;
    }
  }

  return { submit, saving: save.isPending, remove };
}

function setFieldErrors(form: FormInstance, issues: { path: string; message: string }[]) {
  const byField = new Map<string, string[]>();
  for (const i of issues) {
    // The server may name a field as `ips.0`, `/ips/0` or `body.ips`.
    const field = i.path.split(/[./]/).filter((s) => s && s !== 'body')[0] ?? '';
    if (!field) continue;
    byField.set(field, [...(byField.get(field) ?? []), i.message]);
  }
  // Core's and the server's field messages are English facts ("not an IP address: 999.1.1.1"); frame them in the UI language.
  form.setFields([...byField].map(([name, errors]) => ({ name, errors: errors.map((detail) => i18next.t('errors.field', { detail })) })));
}
