import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { api } from '../api/client.js';
import type { AssetView, DepartmentView, Page, PersonView, RoomView } from '../api/types.js';

type Source = 'departments' | 'people' | 'rooms' | 'assets';

interface Option {
  value: number;
  label: string;
}

const toOption: Record<Source, (item: never) => Option> = {
  departments: (d: DepartmentView) => ({ value: d.id, label: `${d.name}（${d.code}）` }),
  people: (p: PersonView) => ({ value: p.id, label: `${p.name}（${p.staffNo}）` }),
  rooms: (r: RoomView) => ({ value: r.id, label: `${r.building} ${r.number}` }),
  assets: (a: AssetView) => ({ value: a.id, label: [a.hostname ?? a.assetTag ?? `#${a.id}`, a.ips[0], a.roomLabel].filter(Boolean).join(' · ') }),
};

export interface RemoteSelectProps extends Omit<SelectProps<number>, 'options' | 'onSearch' | 'showSearch'> {
  source: Source;
  /** Narrows people, rooms and assets to one department. */
  departmentId?: number | undefined;
  /** Label of the current value, so an edit form shows it before any search. */
  initialLabel?: string | null | undefined;
}

/** A select whose options come from a registry list, searched on the server as the user types. */
export function RemoteSelect({ source, departmentId, initialLabel, value, ...rest }: RemoteSelectProps) {
  const [q, setQ] = useState('');
  const query = { pageSize: 20, q, departmentId: source === 'departments' ? undefined : departmentId };
  const { data, isFetching } = useQuery({
    queryKey: [`/${source}`, query],
    queryFn: () => api<Page<never>>(`/${source}`, { query }),
    staleTime: 30_000,
  });
  const options: Option[] = (data?.items ?? []).map(toOption[source]);
  if (value != null && initialLabel && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: initialLabel });
  }
  return (
    <Select<number>
      {...rest}
      value={value}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      options={options}
      onClear={() => setQ('')}
      allowClear={rest.allowClear ?? true}
    />
  );
}
