/**
 * Every change the dashboard makes goes through here: run it, toast the outcome (the API's
 * own message on failure), refresh what it touched.
 */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { toast } from 'sonner';

export interface ActionSpec<I, R> {
  run: (input: I) => Promise<R>;
  /** The toast after success. */
  success: (result: R, input: I) => string;
  /** Query keys (prefixes) to refetch afterwards. */
  invalidate?: QueryKey[];
  onSuccess?: (result: R, input: I) => void;
}

export function useAction<I = void, R = unknown>(spec: ActionSpec<I, R>) {
  const queryClient = useQueryClient();
  return useMutation<R, Error, I>({
    mutationFn: spec.run,
    onSuccess: async (result, input) => {
      toast.success(spec.success(result, input));
      spec.onSuccess?.(result, input);
      await Promise.all(
        (spec.invalidate ?? []).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      );
    },
    onError: (err) => {
      toast.error(err.message);
    },
  });
}
