package invapi

import (
	"context"
	"net/url"
	"strings"
)

// ISOService wraps iso.php: ISO images to upload, list, and mount on servers.
//
// The vendor lists iso.php's actions by name only, with no parameter list:
// the fields modelled here follow the descriptions, and every request takes
// Extra for anything else.
type ISOService service

var (
	isoAdd       = endpoint{module: "iso", action: "add", class: change, settle: "iso/uploaded"}
	isoDelete    = endpoint{module: "iso", action: "delete", class: change, settle: "iso/uploaded"}
	isoList      = endpoint{module: "iso", action: "list_iso", class: read}
	isoMount     = endpoint{module: "iso", action: "mount_iso", class: change, settle: "eq/show"}
	isoUnmount   = endpoint{module: "iso", action: "unmount_iso", class: change, settle: "eq/show"}
	isoUpload    = endpoint{module: "iso", action: "upload", class: change, settle: "iso/uploaded"}
	isoUploaded  = endpoint{module: "iso", action: "uploaded", class: read}
	isoListKeys  = []string{"iso", "images", "list"}
	isoImageKeys = []string{"iso", "image"}
)

// ISOImage is an ISO image, public or uploaded by the customer.
type ISOImage struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	URL    string `json:"url"`
	Size   string `json:"size"`   // as the API prints it, e.g. "2.0 GB"
	Status string `json:"status"` // "uploaded", "downloading"...
	Public bool   `json:"public"` // one of HOSTKEY's images
}

// ISOAddRequest adds an ISO image, or updates the one with the same name
// (iso.php add), from a URL.
type ISOAddRequest struct {
	Name  string `url:"name,omitempty"` // defaults to the file name of URL
	URL   string `url:"url,omitempty"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ISOAddRequest) Validate() error {
	if r.URL == "" && strings.TrimSpace(r.Name) == "" {
		return invalid("url", "a URL or a name is required")
	}
	if r.URL != "" {
		return validHTTPURL("url", r.URL)
	}
	return nil
}

// Add adds an ISO image or updates one of the same name (iso.php add). The
// vendor publishes no parameter list.
func (s *ISOService) Add(ctx context.Context, req *ISOAddRequest) (*ISOImage, error) {
	return s.image(ctx, &isoAdd, req)
}

// Upload uploads an ISO image from a URL (iso.php upload). The vendor
// publishes no parameter list.
func (s *ISOService) Upload(ctx context.Context, req *ISOAddRequest) (*ISOImage, error) {
	return s.image(ctx, &isoUpload, req)
}

func (s *ISOService) image(ctx context.Context, ep *endpoint, req *ISOAddRequest) (*ISOImage, error) {
	if req == nil {
		return nil, invalid("url", "request is nil")
	}
	env, err := s.client.call(ctx, ep, req, nil)
	if err != nil {
		return nil, err
	}
	images, err := decodeList[ISOImage](s.client, ep, env, isoImageKeys...)
	if err != nil || len(images) == 0 {
		return &ISOImage{Name: req.Name, URL: req.URL}, err
	}
	return &images[0], nil
}

// Delete deletes one of the customer's ISO images (iso.php delete). The
// vendor publishes no parameter list; the image goes as iso_id.
func (s *ISOService) Delete(ctx context.Context, isoID int) error {
	if isoID <= 0 {
		return invalid("iso_id", "must be a positive image id, got %d", isoID)
	}
	_, err := s.client.call(ctx, &isoDelete, url.Values{"iso_id": {itoa(isoID)}}, nil)
	return err
}

// List returns the ISO images a server can boot: HOSTKEY's and the
// customer's (iso.php list_iso). The vendor publishes no parameter list.
func (s *ISOService) List(ctx context.Context) ([]ISOImage, error) {
	return doList[ISOImage](ctx, s.client, &isoList, nil, isoListKeys...)
}

// Uploaded returns the images the customer uploaded (iso.php uploaded).
func (s *ISOService) Uploaded(ctx context.Context) ([]ISOImage, error) {
	return doList[ISOImage](ctx, s.client, &isoUploaded, nil, isoListKeys...)
}

// MountISORequest mounts an image on a server's virtual CD drive.
type MountISORequest struct {
	ID    int    `url:"id"`               // the server
	ISOID int    `url:"iso_id,omitempty"` // the image, by id
	Name  string `url:"iso,omitempty"`    // or by name
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *MountISORequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if r.ISOID <= 0 && r.Name == "" {
		return invalid("iso_id", "an image id or name is required")
	}
	return nil
}

// MountISO mounts an ISO image on a server (iso.php mount_iso); boot from it
// with Eq.BootDev media cd. The vendor publishes no parameter list.
func (s *ISOService) MountISO(ctx context.Context, req *MountISORequest) error {
	if req == nil {
		return invalid("id", "request is nil")
	}
	_, err := s.client.call(ctx, &isoMount, req, nil)
	return err
}

// UnmountISO unmounts the image from a server (iso.php unmount_iso).
func (s *ISOService) UnmountISO(ctx context.Context, id int) error {
	if err := validServerID(id); err != nil {
		return err
	}
	_, err := s.client.call(ctx, &isoUnmount, url.Values{"id": {itoa(id)}}, nil)
	return err
}
