export interface UserRecord {
  id: string;
  email: string;
}
