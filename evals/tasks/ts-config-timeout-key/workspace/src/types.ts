export interface Config {
  host: string;
  port: number;
}
