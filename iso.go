package invapi

import (
	"context"
	"net/url"
	"strings"
)

// ISOService wraps iso.php: ISO images to upload, list, and mount on servers.
//
// The vendor lists iso.php's actions by name only, with no parameter list:
// the fields modelled here are those HOSTKEY's MCP server sends, and every
// request takes Extra for anything else.
type ISOService service

var (
	isoAdd    = endpoint{module: "iso", action: "add", class: change, settle: "iso/uploaded", evidence: byClient("mcp")}
	isoDelete = endpoint{module: "iso", action: "delete", class: change, settle: "iso/uploaded", evidence: byClient("mcp")}
	isoList   = endpoint{module: "iso", action: "list_iso", class: read, evidence: byClient("mcp")}
	// mount_iso / unmount_iso: mcp says they answer a callback key (eq_callback).
	isoMount     = endpoint{module: "iso", action: "mount_iso", class: change, async: eqCallback, settle: "eq/show", evidence: byClient("mcp")}
	isoUnmount   = endpoint{module: "iso", action: "unmount_iso", class: change, async: eqCallback, settle: "eq/show", evidence: byClient("mcp")}
	isoUpload    = endpoint{module: "iso", action: "upload", class: change, settle: "iso/uploaded", evidence: byClient("mcp")}
	isoUploaded  = endpoint{module: "iso", action: "uploaded", class: read, evidence: byClient("mcp")}
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
func (r *ISOAddRequest) Validate() error { return validateRequest(r) }

func (r *ISOAddRequest) check() error {
	if r.URL == "" && strings.TrimSpace(r.Name) == "" {
		return invalid("url", "a URL or a name is required")
	}
	if r.URL != "" {
		return validHTTPURL("url", r.URL)
	}
	return nil
}

// Add adds an ISO image or updates one of the same name (iso.php add).
// Published by name only.
func (s *ISOService) Add(ctx context.Context, req *ISOAddRequest) (*ISOImage, error) {
	return s.image(ctx, &isoAdd, req)
}

// Upload uploads an ISO image from a URL (iso.php upload). Published by name
// only.
func (s *ISOService) Upload(ctx context.Context, req *ISOAddRequest) (*ISOImage, error) {
	return s.image(ctx, &isoUpload, req)
}

func (s *ISOService) image(ctx context.Context, ep *endpoint, req *ISOAddRequest) (*ISOImage, error) {
	return getWith(ctx, s.client, ep, req, func(r reply) (*ISOImage, error) {
		images, err := listOf[ISOImage](r, isoImageKeys...)
		if err != nil || len(images) == 0 {
			return &ISOImage{Name: req.Name, URL: req.URL}, err
		}
		return &images[0], nil
	})
}

// Delete deletes an ISO image (iso.php delete). The image goes as id, as
// HOSTKEY's MCP server sends it (which notes the vendor allows it to
// HOSTKEY staff only: a customer is likely refused).
func (s *ISOService) Delete(ctx context.Context, isoID int) error {
	if isoID <= 0 {
		return invalid("id", "must be a positive image id, got %d", isoID)
	}
	return act(ctx, s.client, &isoDelete, url.Values{"id": {itoa(isoID)}})
}

// ISOListRequest selects the images of iso.php list_iso.
type ISOListRequest struct {
	// ServerID picks the images that fit one server; HOSTKEY's MCP server
	// says it is required with a customer's (or a server's) API key.
	ServerID int    `url:"server_id,omitempty" check:"id=server,optional"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ISOListRequest) Validate() error { return validateRequest(r) }

// List returns the ISO images a server can boot: HOSTKEY's and the
// customer's (iso.php list_iso). req may be nil; give ServerID with a
// customer's API key.
func (s *ISOService) List(ctx context.Context, req *ISOListRequest) ([]ISOImage, error) {
	return getList[ISOImage](ctx, s.client, &isoList, optional(req), isoListKeys...)
}

// Uploaded returns the images the customer uploaded (iso.php uploaded).
func (s *ISOService) Uploaded(ctx context.Context) ([]ISOImage, error) {
	return getList[ISOImage](ctx, s.client, &isoUploaded, nil, isoListKeys...)
}

// MountISORequest mounts an image on a server's virtual CD drive, with the
// fields HOSTKEY's MCP server sends.
type MountISORequest struct {
	ID    int    `url:"id" check:"id=server"` // the server
	ISOID int    `url:"iso_id,omitempty"`     // the image, by id
	Name  string `url:"name,omitempty"`       // or by name
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *MountISORequest) Validate() error { return validateRequest(r) }

func (r *MountISORequest) check() error {
	if r.ISOID <= 0 && r.Name == "" {
		return invalid("iso_id", "an image id or name is required")
	}
	return nil
}

// MountISO mounts an ISO image on a server (iso.php mount_iso); boot from it
// with Eq.BootDev media cd. HOSTKEY's MCP server says it answers a
// callback key: wait on the Operation (done at once when the answer has
// none).
func (s *ISOService) MountISO(ctx context.Context, req *MountISORequest) (*Operation, error) {
	return start(ctx, s.client, &isoMount, req)
}

// UnmountISO unmounts the image from a server (iso.php unmount_iso). Like
// MountISO it may answer a callback key: wait on the Operation.
func (s *ISOService) UnmountISO(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &isoUnmount, id)
}
