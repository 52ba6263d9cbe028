import { z } from 'zod';

/** Room types named in the notice (measure 3), stored by code, shown in Chinese or English. */
export const ROOM_TYPES = {
  lab: { zh: '实验室', en: 'Laboratory' },
  equipment_room: { zh: '设备间', en: 'Equipment room' },
  weak_current: { zh: '弱电间', en: 'Weak-current room' },
  strong_current: { zh: '强电间', en: 'Strong-current room' },
  machine_room: { zh: '机房', en: 'Machine room' },
  office: { zh: '办公室', en: 'Office' },
  classroom: { zh: '教室', en: 'Classroom' },
  dormitory: { zh: '学生宿舍', en: 'Student dormitory' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type RoomType = keyof typeof ROOM_TYPES;
export const roomTypeSchema = z.enum(Object.keys(ROOM_TYPES) as [RoomType, ...RoomType[]]);

/** Accepts the code or either label ("实验室", "Laboratory", "lab"): what people type in Excel. */
export function parseRoomType(text: string): RoomType | undefined {
  const t = text.trim().toLowerCase();
  for (const [code, label] of Object.entries(ROOM_TYPES)) {
    if (t === code || t === label.zh || t === label.en.toLowerCase()) return code as RoomType;
  }
  return undefined;
}
