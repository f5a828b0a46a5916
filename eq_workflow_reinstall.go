package invapi

import (
	"context"
	"errors"
	"log/slog"
)

// ReinstallAndWait reinstalls a server by the documented PXE procedure and
// waits until it is back online: eq.php reinstall (the master key),
// create_pxe, boot_dev pxe, reboot, the five install stages, then boot_dev
// disk and clear_pxe. The install stages reach progress as they happen.
//
// req describes the install; its ReinstallKey is set by the workflow. Once
// the PXE config exists, boot_dev disk and clear_pxe are sent even when a
// later step fails or ctx is cancelled, so the server does not reinstall
// again at its next boot. mode is the boot mode for the PXE boot ("" keeps
// the server's).
//
// For the one-call reinstall of the newer API reference, use Reinstall with
// an OS and wait on its Operation.
func (s *EqService) ReinstallAndWait(ctx context.Context, req *CreatePXERequest, mode BootMode, progress ProgressFunc) (*OperationResult, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	if err := req.Validate(); err != nil { // before the master key is made
		return nil, err
	}
	w := &workflow{c: s.client, name: "reinstall", serverID: req.ID, progress: progress}

	master, err := s.Reinstall(ctx, &ReinstallRequest{ID: req.ID})
	if err != nil {
		return nil, w.fail("reinstall", err)
	}
	w.step("reinstall", "master reinstall key created")

	pxe := *req
	pxe.ReinstallKey = master.Key
	if _, err := w.run(ctx, "create_pxe", func() (*Operation, error) { return s.CreatePXE(ctx, &pxe) }); err != nil {
		return nil, w.withCleanup(err, s.pxeCleanup(ctx, req.ID, req.Hostname, progress))
	}
	res, err := s.bootAndInstall(ctx, w, req.ID, mode, master.Operation)
	cleanupErr := s.pxeCleanup(ctx, req.ID, req.Hostname, progress)
	if err != nil {
		return nil, w.withCleanup(err, cleanupErr)
	}
	if cleanupErr != nil {
		return res, w.withCleanup(w.fail("clean-up", cleanupErr), nil)
	}
	return res, nil
}

// bootAndInstall boots the server from PXE and follows the install stages.
func (s *EqService) bootAndInstall(ctx context.Context, w *workflow, id int, mode BootMode, install *Operation) (*OperationResult, error) {
	if _, err := w.run(ctx, "boot_dev pxe", func() (*Operation, error) {
		return s.BootDev(ctx, &BootDevRequest{ID: id, Media: BootPXE, BootMode: mode})
	}); err != nil {
		return nil, err
	}
	if _, err := w.run(ctx, "reboot", func() (*Operation, error) { return s.Reboot(ctx, id) }); err != nil {
		return nil, err
	}
	if install == nil {
		return nil, w.fail("install", errors.New("the reinstall answer carried no key to follow the install"))
	}
	res, err := w.wait(ctx, install)
	if err != nil {
		return nil, w.fail("install", err)
	}
	w.step("install", res.Scope)
	return res, nil
}

// pxeCleanup sets the server to boot from disk and removes its PXE config,
// even after cancellation. It returns what failed, joined.
func (s *EqService) pxeCleanup(ctx context.Context, id int, hostname string, progress ProgressFunc) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	w := &workflow{c: s.client, name: "reinstall clean-up", serverID: id, progress: progress}
	_, errDisk := w.run(cctx, "boot_dev disk", func() (*Operation, error) {
		return s.BootDev(cctx, &BootDevRequest{ID: id, Media: BootDisk})
	})
	_, errClear := w.run(cctx, "clear_pxe", func() (*Operation, error) {
		return s.ClearPXE(cctx, &ClearPXERequest{ID: id, Hostname: hostname})
	})
	return errors.Join(errDisk, errClear)
}

// withCleanup attaches a clean-up failure to a step's WorkflowError.
func (w *workflow) withCleanup(err, cleanup error) error {
	var we *WorkflowError
	if errors.As(err, &we) {
		we.Cleanup = cleanup
	}
	if cleanup != nil {
		w.c.logger.Warn("invapi workflow clean-up failed", slog.String("workflow", w.name),
			slog.Int("server", w.serverID), slog.String("error", w.c.redact(cleanup.Error())))
	}
	return err
}
