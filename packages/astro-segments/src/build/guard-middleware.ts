/**
 * Astro middleware for `astro build` (see `failed-build.ts`): a page or
 * endpoint that throws while it is prerendered, or whose body fails while it
 * is written, removes the output before the build stops.
 */
import type { MiddlewareHandler } from 'astro';
import { buildFailed } from './failed-build.ts';

export const onRequest: MiddlewareHandler = async (context, next) => {
  if (!context.isPrerendered) return next();
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    await buildFailed();
    throw error;
  }
  if (!response.body) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        await buildFailed();
        controller.error(error);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
