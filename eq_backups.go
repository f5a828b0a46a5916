package invapi

import (
	"context"
	"strings"

	"github.com/invapi-go/invapi/internal/loose"
)

// Backups

// BackupRequest names a server for the backup actions whose parameters the
// vendor does not publish (backup_list, backup_get_schedule,
// backup_save_schedule, check_backup_lock, create_backup): ID is sent as
// "id", Extra as given (for backup_save_schedule, the schedule itself).
type BackupRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *BackupRequest) Validate() error { return validServerID(r.ID) }

// BackupList returns the server's backups (eq.php backup_list). The vendor
// publishes no parameter list (see BackupRequest).
func (s *EqService) BackupList(ctx context.Context, req *BackupRequest) ([]Backup, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return doList[Backup](ctx, s.client, &eqBackupList, req, "backups", "list")
}

// BackupGetSchedule returns the server's automatic backup schedule
// (eq.php backup_get_schedule). The vendor publishes no parameter list (see
// BackupRequest).
func (s *EqService) BackupGetSchedule(ctx context.Context, req *BackupRequest) (*BackupSchedule, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	env, err := s.client.call(ctx, &eqBackupGetSchedule, req, nil)
	if err != nil {
		return nil, err
	}
	out := &BackupSchedule{Fields: eqObjectFields(env, "schedule")}
	out.setRaw(env.Body)
	return out, nil
}

// BackupSaveSchedule saves the server's automatic backup schedule
// (eq.php backup_save_schedule). The vendor publishes no parameter list: put the
// schedule's fields in req.Extra.
func (s *EqService) BackupSaveSchedule(ctx context.Context, req *BackupRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqBackupSaveSchedule, req, req.ID)
}

// CheckBackupLock reports whether backup operations on the server are
// locked (eq.php check_backup_lock). The vendor publishes no parameter list
// (see BackupRequest).
func (s *EqService) CheckBackupLock(ctx context.Context, req *BackupRequest) (*BackupLock, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	env, err := s.client.call(ctx, &eqCheckBackupLock, req, nil)
	if err != nil {
		return nil, err
	}
	out := &BackupLock{}
	for _, name := range []string{"locked", "lock", "is_locked"} {
		if raw := env.Field(name); raw != nil {
			var b bool
			if loose.Unmarshal(raw, &b) == nil {
				out.Locked = b
				break
			}
		}
	}
	out.setRaw(env.Body)
	return out, nil
}

// CreateBackup starts a backup of the server (eq.php create_backup). The
// vendor publishes no parameter list (see BackupRequest).
func (s *EqService) CreateBackup(ctx context.Context, req *BackupRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqCreateBackup, req, req.ID)
}

// BackupActionRequest names one backup of a server. The vendor publishes
// no parameter list: the backup is sent as "backup_id" (an undocumented
// name: use Extra for another), the server as "id".
type BackupActionRequest struct {
	ID       int    `url:"id"`
	BackupID string `url:"backup_id,omitempty"` // Backup.ID
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *BackupActionRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if strings.TrimSpace(r.BackupID) == "" && len(r.Extra) == 0 {
		return invalid("backup_id", "is required")
	}
	return nil
}

// DeleteBackup deletes one of the server's backups (eq.php delete_backup).
// The vendor publishes no parameter list (see BackupActionRequest).
func (s *EqService) DeleteBackup(ctx context.Context, req *BackupActionRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqDeleteBackup, req, req.ID)
}

// RestoreBackup restores the server from one of its backups
// (eq.php restore_backup). The vendor publishes no parameter list (see
// BackupActionRequest).
func (s *EqService) RestoreBackup(ctx context.Context, req *BackupActionRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqRestoreBackup, req, req.ID)
}

// RequestBackupLink asks for a temporary link to download a backup
// (eq.php request_backup_link). The vendor publishes no parameter list (see
// BackupActionRequest).
func (s *EqService) RequestBackupLink(ctx context.Context, req *BackupActionRequest) (*BackupLink, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	out := new(BackupLink)
	env, err := s.client.call(ctx, &eqRequestBackupLink, req, out)
	if err != nil {
		return nil, err
	}
	out.URL = firstNonEmpty(rawText(env.Field("url")), rawText(env.Field("link")))
	out.Operation = s.operation(&eqRequestBackupLink, eqCallbackKey(env), req.ID)
	return out, nil
}
