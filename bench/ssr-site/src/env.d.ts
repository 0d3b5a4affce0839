declare namespace App {
  interface Locals {
    segments: import('./middleware.ts').Segments;
  }
}
