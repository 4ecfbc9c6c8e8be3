type Listener = (value: string) => void;

export class Emitter {
  private listeners: Listener[] = [];

  on(listener: Listener): void {
    this.listeners.push(listener);
  }

  once(listener: Listener): void {
    const wrapper: Listener = (value) => {
      this.off(wrapper);
      listener(value);
    };
    this.on(wrapper);
  }

  off(listener: Listener): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  emit(value: string): void {
    for (const listener of this.listeners) listener(value);
  }
}
