/*
** devices/pdf-archive.c -- what makes the PDF archival (PDF/A-2a) and
** declares it accessible (PDF/UA-1): the XMP metadata stream, the sRGB
** output intent and /MarkInfo.
**
** The XMP repeats the info dictionary (pdf-haru.c, set_info) field by
** field, with the same clipped strings (sb_pdf_clip_len) and the same
** date (the document's date rule, dl->info.date; none when it is -1), so
** a validator finds them equal and the bytes stay reproducible. It carries
** pdfaid (part 2, conformance A) and pdfuaid (part 1, with the PDF/A
** extension schema that describes it, since pdfuaid is not one of XMP's
** predefined schemas). The stream is written unfiltered, as PDF/A asks.
**
** The output intent's profile is lcms2's built-in sRGB (cmsCreate_sRGB-
** Profile), saved to memory once per process; lcms2 stamps the profile
** header with the clock, so the creation date (bytes 24..35) is set to a
** fixed one, 2000-01-01, and the bytes are the same in every PDF. They
** are deflated once too (a batch wrote the same 3 KB stream into each of
** its documents, deflating it each time).
** Everything reaches libharu through pdf-haru.h.
** Tests: tests/cli/pdfua.sh (tests/pdfua_check.py), tests/cli/pdf_details.sh
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lcms2.h>

#include "devices/pdf-imp.h"

/* ==== The sRGB profile ==== */

static unsigned char *srgb_icc, *srgb_z;
static size_t srgb_len, srgb_zlen;
static pthread_once_t srgb_once = PTHREAD_ONCE_INIT;

/* Big-endian 16-bit at p. */
static void be16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
}

static void make_srgb(void) {
  cmsHPROFILE pr = cmsCreate_sRGBProfile();
  cmsUInt32Number n = 0;
  unsigned char *b;

  if (!pr)
    return;
  if (cmsSaveProfileToMem(pr, NULL, &n) && n >= 128 &&
      (b = malloc(n)) != NULL) {
    if (cmsSaveProfileToMem(pr, b, &n)) {
      /* dateTimeNumber: 2000-01-01 00:00:00 instead of now */
      be16(b + 24, 2000), be16(b + 26, 1), be16(b + 28, 1);
      be16(b + 30, 0), be16(b + 32, 0), be16(b + 34, 0);
      srgb_icc = b;
      srgb_len = n;
      /* what sb_haru_stream writes: its compressor's level */
      sb_deflater *dz = sb_new_deflater(SB_ZLEVEL_STREAM);
      if (dz)
        srgb_z = sb_deflate(dz, b, n, &srgb_zlen);
      sb_drop_deflater(dz);
    } else {
      free(b);
    }
  }
  cmsCloseProfile(pr);
}

const unsigned char *sb_pdf_srgb_icc(size_t *n) {
  pthread_once(&srgb_once, make_srgb);
  *n = srgb_len;
  return srgb_icc;
}

const unsigned char *sb_pdf_srgb_icc_z(size_t *zn) {
  pthread_once(&srgb_once, make_srgb);
  *zn = srgb_z ? srgb_zlen : 0;
  return srgb_z;
}

/* ==== XMP ==== */

/* s[0..n) with XML's five special characters escaped. */
static void put_xml(sb_buf *b, const char *s, size_t n) {
  size_t i, from = 0;

  for (i = 0; i < n; i++) {
    const char *e = s[i] == '&'    ? "&amp;"
                    : s[i] == '<'  ? "&lt;"
                    : s[i] == '>'  ? "&gt;"
                    : s[i] == '"'  ? "&quot;"
                    : s[i] == '\'' ? "&apos;"
                                   : NULL;
    /* controls other than tab/newline are not XML characters: dropped */
    if (!e && (unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
      e = "";
    if (!e)
      continue;
    sb_buf_add(b, s + from, i - from);
    sb_buf_adds(b, e);
    from = i + 1;
  }
  sb_buf_add(b, s + from, n - from);
}

/* The clipped string (as the info dictionary holds it), escaped. */
static void put_info(sb_buf *b, const char *s) {
  size_t n = sb_pdf_clip_len(s);

  put_xml(b, s, n);
  if (n < strlen(s))
    sb_buf_adds(b, "\xE2\x80\xA6");
}

static void put_elem(sb_buf *b, const char *open, const char *s,
                     const char *close) {
  if (!s)
    return;
  sb_buf_adds(b, open);
  put_info(b, s);
  sb_buf_adds(b, close);
}

static void put_date(sb_buf *b, const char *tag, long long t) {
  time_t tt = (time_t)t;
  struct tm tm;
  char d[96];

  gmtime_r(&tt, &tm);
  snprintf(d, sizeof d, "   <%s>%04d-%02d-%02dT%02d:%02d:%02d+00:00</%s>\n",
           tag, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec, tag);
  sb_buf_adds(b, d);
}

/* The pack's identity (docs/forms.md): one property per in->meta, and
** the PDF/A extension schema that describes them. */
#define SB_PACK_NS "https://skillbook.dev/ns/pack/1.0/"

static void put_meta(sb_buf *b, const sb_docinfo *in) {
  for (int i = 0; i < in->nmeta; i++) {
    const char *k = in->meta[i].key;
    sb_buf_printf(b, "   <sbpack:%s>", k);
    put_xml(b, in->meta[i].value ? in->meta[i].value : "",
            in->meta[i].value ? strlen(in->meta[i].value) : 0);
    sb_buf_printf(b, "</sbpack:%s>\n", k);
  }
}

static void put_meta_schema(sb_buf *b, const sb_docinfo *in) {
  sb_buf_adds(
      b,
      "    <rdf:li rdf:parseType=\"Resource\">\n"
      "    <pdfaSchema:schema>skillbook review pack</pdfaSchema:schema>\n"
      "    <pdfaSchema:namespaceURI>" SB_PACK_NS "</pdfaSchema:namespaceURI>\n"
      "    <pdfaSchema:prefix>sbpack</pdfaSchema:prefix>\n"
      "    <pdfaSchema:property><rdf:Seq>\n");
  for (int i = 0; i < in->nmeta; i++)
    sb_buf_printf(
        b,
        "     <rdf:li rdf:parseType=\"Resource\">\n"
        "      <pdfaProperty:name>%s</pdfaProperty:name>\n"
        "      <pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
        "      <pdfaProperty:category>external</pdfaProperty:category>\n"
        "      <pdfaProperty:description>skillbook pack: %s</pdfaProperty:description>\n"
        "     </rdf:li>\n",
        in->meta[i].key, in->meta[i].key);
  sb_buf_adds(b, "    </rdf:Seq></pdfaSchema:property>\n"
                 "    </rdf:li>\n");
}

void sb_pdf_xmp(sb_buf *b, const sb_docinfo *in) {
  sb_pdf_xmp_ex(b, in, 1);
}

void sb_pdf_xmp_ex(sb_buf *b, const sb_docinfo *in, int archival) {
  sb_buf_adds(b,
              "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "  <rdf:Description rdf:about=\"\"\n"
              "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
              "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
              "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n");
  if (in->nmeta > 0)
    sb_buf_adds(b, "    xmlns:sbpack=\"" SB_PACK_NS "\"\n");
  if (archival)
    sb_buf_adds(b,
              "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
              "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
              "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
              "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
              "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
              "   <pdfaid:part>2</pdfaid:part>\n"
              "   <pdfaid:conformance>A</pdfaid:conformance>\n"
              "   <pdfuaid:part>1</pdfuaid:part>\n");
  else
    sb_buf_adds(b, "    >\n");
  put_meta(b, in);
  put_elem(b, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", in->title,
           "</rdf:li></rdf:Alt></dc:title>\n");
  put_elem(b, "   <dc:creator><rdf:Seq><rdf:li>", in->author,
           "</rdf:li></rdf:Seq></dc:creator>\n");
  put_elem(b, "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
           in->subject, "</rdf:li></rdf:Alt></dc:description>\n");
  if (in->lang && in->lang[0])
    put_elem(b, "   <dc:language><rdf:Bag><rdf:li>", in->lang,
             "</rdf:li></rdf:Bag></dc:language>\n");
  put_elem(b, "   <pdf:Keywords>", in->keywords, "</pdf:Keywords>\n");
  put_elem(b, "   <pdf:Producer>", SB_PDF_PRODUCER, "</pdf:Producer>\n");
  put_elem(b, "   <xmp:CreatorTool>", in->creator, "</xmp:CreatorTool>\n");
  if (in->date >= 0) {
    put_date(b, "xmp:CreateDate", in->date);
    put_date(b, "xmp:ModifyDate", in->date);
  }
  if (!archival) {
    sb_buf_adds(b, "  </rdf:Description>\n"
                   " </rdf:RDF>\n"
                   "</x:xmpmeta>\n"
                   "<?xpacket end=\"r\"?>");
    return;
  }
  sb_buf_adds(
      b,
      "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
      "    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
      "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
      "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
      "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
      "     <pdfaProperty:name>part</pdfaProperty:name>\n"
      "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
      "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
      "     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n"
      "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
      "   </rdf:li>");
  if (in->nmeta > 0) {
    sb_buf_adds(b, "\n");
    put_meta_schema(b, in);
    sb_buf_adds(b, "   ");
  }
  sb_buf_adds(
      b,
      "</rdf:Bag></pdfaExtension:schemas>\n"
      "  </rdf:Description>\n"
      " </rdf:RDF>\n"
      "</x:xmpmeta>\n"
      "<?xpacket end=\"r\"?>");
}

/* ==== The catalog's archival entries ==== */

/* The XMP metadata stream in the catalog: with the PDF/A and PDF/UA
** claims (archival) or only the description and a pack's identity. */
static sb_status put_metadata(sb_ctx *ctx, sb_haru *h, const sb_docinfo *in,
                              int archival) {
  sb_haru_obj *md;
  sb_buf x;

  sb_buf_init(&x);
  sb_pdf_xmp_ex(&x, in, archival);
  md = sb_haru_stream_plain(h, x.p, x.n);
  sb_buf_free(&x);
  if (!md)
    return sb_haru_check(ctx, h) ? ctx->status
                                 : sb_fail(ctx, SB_E_PDF, "no XMP stream");
  sb_haru_put_name(md, "Type", "Metadata");
  sb_haru_put_name(md, "Subtype", "XML");
  sb_haru_put(sb_haru_catalog(h), "Metadata", md);
  return sb_haru_check(ctx, h);
}

sb_status sb_pdf_metadata(sb_ctx *ctx, sb_haru *h, const sb_docinfo *in) {
  return put_metadata(ctx, h, in, 0);
}

sb_status sb_pdf_archive(sb_ctx *ctx, sb_haru *h, const sb_docinfo *in) {
  sb_haru_obj *cat = sb_haru_catalog(h), *oi, *ois, *prof, *mi;
  const unsigned char *icc;
  size_t n;

  if (put_metadata(ctx, h, in, 1) != SB_OK)
    return ctx->status;

  if (!sb_pdf_srgb_icc(&n))
    return sb_fail(ctx, SB_E_PDF, "lcms2 cannot build the sRGB profile");
  icc = sb_pdf_srgb_icc_z(&n);
  prof = icc ? sb_haru_stream_flate(h, icc, n) : NULL;
  oi = sb_haru_dict(h, 0);
  ois = sb_haru_array(h);
  mi = sb_haru_dict(h, 0);
  if (!prof || !oi || !ois || !mi)
    return sb_haru_check(ctx, h) ? ctx->status
                                 : sb_fail(ctx, SB_E_PDF, "no output intent");
  sb_haru_put_int(prof, "N", 3);
  sb_haru_put_name(oi, "Type", "OutputIntent");
  sb_haru_put_name(oi, "S", "GTS_PDFA1");
  sb_haru_put_str(h, oi, "OutputConditionIdentifier", "sRGB IEC61966-2.1");
  sb_haru_put_str(h, oi, "Info", "sRGB IEC61966-2.1");
  sb_haru_put(oi, "DestOutputProfile", prof);
  sb_haru_push(ois, oi);
  sb_haru_put(cat, "OutputIntents", ois);
  sb_haru_put_bool(mi, "Marked", 1);
  sb_haru_put(cat, "MarkInfo", mi);
  return sb_haru_check(ctx, h);
}
