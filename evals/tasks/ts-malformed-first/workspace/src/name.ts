export interface Person {
  first: string;
  last?: string | null;
}

export function displayName(person: Person): string {
  return `${person.first} ${person.last.toUpperCase()}`;
}
