package invapi

import (
	"context"

	"github.com/invapi-go/invapi/internal/loose"
)

// Backups

// BackupRequest names a server for the backup actions whose parameters the
// vendor does not publish (backup_list, backup_get_schedule,
// backup_save_schedule, check_backup_lock, create_backup): ID is sent as
// "id", Extra as given (for backup_save_schedule, the schedule itself).
type BackupRequest = ServerRequest

// BackupList returns the server's backups (eq.php backup_list). Published by
// name only (see [BackupRequest]).
func (s *EqService) BackupList(ctx context.Context, req *BackupRequest) ([]Backup, error) {
	return getList[Backup](ctx, s.client, &eqBackupList, req, "backups", "list")
}

// BackupGetSchedule returns the server's automatic backup schedule (eq.php
// backup_get_schedule). Published by name only (see [BackupRequest]).
func (s *EqService) BackupGetSchedule(ctx context.Context, req *BackupRequest) (*BackupSchedule, error) {
	return getWith(ctx, s.client, &eqBackupGetSchedule, req, func(r reply) (*BackupSchedule, error) {
		out := &BackupSchedule{Fields: eqObjectFields(r, "schedule")}
		r.keep(out)
		return out, nil
	})
}

// BackupSaveSchedule saves the server's automatic backup schedule (eq.php
// backup_save_schedule). Published by name only: put the schedule's fields in
// req.Extra.
func (s *EqService) BackupSaveSchedule(ctx context.Context, req *BackupRequest) (*Operation, error) {
	return start(ctx, s.client, &eqBackupSaveSchedule, req)
}

// CheckBackupLock reports whether backup operations on the server are locked
// (eq.php check_backup_lock). Published by name only (see [BackupRequest]).
func (s *EqService) CheckBackupLock(ctx context.Context, req *BackupRequest) (*BackupLock, error) {
	return getWith(ctx, s.client, &eqCheckBackupLock, req, func(r reply) (*BackupLock, error) {
		out := &BackupLock{}
		for _, name := range []string{"locked", "lock", "is_locked"} {
			if raw := r.field(name); raw != nil {
				var b bool
				if loose.Unmarshal(raw, &b) == nil {
					out.Locked = b
					break
				}
			}
		}
		r.keep(out)
		return out, nil
	})
}

// CreateBackup starts a backup of the server (eq.php create_backup). Published
// by name only (see [BackupRequest]).
func (s *EqService) CreateBackup(ctx context.Context, req *BackupRequest) (*Operation, error) {
	return start(ctx, s.client, &eqCreateBackup, req)
}

// BackupActionRequest names one backup of a server. Published by name only: the
// backup is sent as "backup_id" (an undocumented name: use Extra for another),
// the server as "id".
type BackupActionRequest struct {
	ID       int    `url:"id" check:"id=server"`
	BackupID string `url:"backup_id,omitempty"` // Backup.ID
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *BackupActionRequest) Validate() error { return validateRequest(r) }

func (r *BackupActionRequest) check() error {
	return requiredOrExtra("backup_id", r.BackupID, r.Extra, "is required")
}

// DeleteBackup deletes one of the server's backups (eq.php delete_backup).
// Published by name only (see [BackupActionRequest]).
func (s *EqService) DeleteBackup(ctx context.Context, req *BackupActionRequest) (*Operation, error) {
	return start(ctx, s.client, &eqDeleteBackup, req)
}

// RestoreBackup restores the server from one of its backups (eq.php
// restore_backup). Published by name only (see [BackupActionRequest]).
func (s *EqService) RestoreBackup(ctx context.Context, req *BackupActionRequest) (*Operation, error) {
	return start(ctx, s.client, &eqRestoreBackup, req)
}

// RequestBackupLink asks for a temporary link to download a backup (eq.php
// request_backup_link). Published by name only (see [BackupActionRequest]).
func (s *EqService) RequestBackupLink(ctx context.Context, req *BackupActionRequest) (*BackupLink, error) {
	return getWith(ctx, s.client, &eqRequestBackupLink, req, func(r reply) (*BackupLink, error) {
		out := new(BackupLink)
		if err := r.decode(out); err != nil {
			return nil, err
		}
		out.URL = firstNonEmpty(rawText(r.field("url")), rawText(r.field("link")))
		out.Operation = r.operation(r.callback())
		return out, nil
	})
}
