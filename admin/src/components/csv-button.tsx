import { useState } from 'react';
import { DownloadIcon } from 'lucide-react';
import { toast } from 'sonner';
import { downloadCsv } from '@/api/client';
import { Button } from '@/components/ui/button';

/** Downloads an authenticated CSV export. */
export function CsvButton({
  path,
  fileName,
  label = 'Export CSV',
}: {
  path: string;
  fileName: string;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        downloadCsv(path, fileName)
          .then((name) => toast.success(`Downloaded ${name}`))
          .catch((err: Error) => toast.error(err.message))
          .finally(() => setBusy(false));
      }}
    >
      <DownloadIcon aria-hidden />
      {label}
    </Button>
  );
}
